using System.CommandLine;
using Kubes.Controller.Components.KubeApiServer;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Providers;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Cli.Commands;

/// <summary>
/// <c>kubes encryption-key list|add|use-newest|retire-others</c>: the keys that encrypt the cluster's Secrets at rest, and
/// the three steps of their rotation (docs/control-plane.md). Each change reaches every controller at its next re-sync;
/// the next step waits until <c>kubes status</c> shows every controller Ready again. The work is in
/// <see cref="SecretEncryptionKeyStore"/>.
/// </summary>
public static class EncryptionKeyCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("encryption-key",
            "The keys that encrypt Secrets at rest, and their rotation: add, then use-newest, then (every Secret written again) retire-others.");
        command.Subcommands.Add(Step("list", "Show the keys by name, the one that encrypts first (their secrets are never shown).",
            change: null, stdout, stderr));
        command.Subcommands.Add(Step("add", "Rotation, step 1: a new key that every apiserver can decrypt with, before any encrypts with it.",
            (keys, ct) => keys.AddAsync(ct), stdout, stderr));
        command.Subcommands.Add(Step("use-newest", "Rotation, step 2: the newest key encrypts; the others still decrypt. Run it once every controller is Ready after 'add'.",
            (keys, ct) => keys.PromoteNewestAsync(ct), stdout, stderr));
        command.Subcommands.Add(Step("retire-others",
            "Rotation, step 3: every key but the one that encrypts is removed. Run it once every Secret was written again "
            + "('kubectl get secrets -A -o json | kubectl replace -f -'): what only an old key decrypts becomes unreadable.",
            (keys, ct) => keys.RetireOthersAsync(ct), stdout, stderr));
        return command;
    }

    private static Command Step(string name, string description,
        Func<SecretEncryptionKeyStore, CancellationToken, Task<EquatableList<SecretEncryptionKey>>>? change, TextWriter stdout, TextWriter stderr)
    {
        var (file, local) = (CommonOptions.File(), CommonOptions.Local());
        var command = new Command(name, description) { file, local };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var spec = await SpecFile.ResolveAsync(parse, file, local, stderr);
            if (spec is null) return ExitCodes.BadInput;
            try
            {
                using var session = await ClusterProviders.OpenAsync(spec, null, cancellationToken);
                // Looked for before the passphrase, which a cluster never made would get made for it.
                if (await session.Store.GetAsync(SecretEncryptionKeyStore.Key, cancellationToken) is null)
                    throw new PkiStoreException($"{session.Store.Location} holds no Secret encryption key of cluster {spec.Name}: "
                        + "create the cluster with 'kubes up' first (same -f or --local)");
                var store = new SecretEncryptionKeyStore(session.Store,
                    await new ClusterPkiRepository(session.Store).PassphraseAsync(cancellationToken));
                var before = await store.FindAsync(cancellationToken)
                             ?? throw new PkiStoreException($"{session.Store.Location}/{SecretEncryptionKeyStore.Key} vanished while it was read");
                var after = change is null ? before : await change(store, cancellationToken);
                foreach (var (key, i) in after.Select((key, i) => (key, i)))
                    await stdout.WriteLineAsync($"{key.Name}\t{(i == 0 ? "encrypts and decrypts" : "decrypts")}");
                if (!after.Equals(before))
                    await stdout.WriteLineAsync(
                        "Every controller takes the change at its next re-sync and restarts its apiserver; 'kubes status' shows them Ready again.");
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return await CommandErrors.ReportAsync(e, stderr);
            }
        });
        return command;
    }
}
