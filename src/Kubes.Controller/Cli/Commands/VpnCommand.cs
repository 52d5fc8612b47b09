using System.CommandLine;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Operations.Vpn;
using Kubes.Controller.Pki.Vpn;
using Kubes.Controller.Providers;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Cli.Commands;

/// <summary>
/// <c>kubes vpn profile NAME [-o FILE]</c>, <c>kubes vpn revoke NAME</c>, <c>kubes vpn list</c>: the VPN profiles of the
/// cluster's bastion. The work is in <see cref="VpnProfiles"/>.
/// </summary>
public static class VpnCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var vpn = new Command("vpn", "OpenVPN profiles for the cluster's bastion: make one, revoke one, list them.");
        vpn.Subcommands.Add(Profile(stdout, stderr));
        vpn.Subcommands.Add(Revoke(stdout, stderr));
        vpn.Subcommands.Add(List(stdout, stderr));
        return vpn;
    }

    private static Command Profile(TextWriter stdout, TextWriter stderr)
    {
        var (file, local, name) = (CommonOptions.File(), CommonOptions.Local(), NameArgument());
        var output = new Option<string>("--output", "-o")
        {
            Description = "Where to write the profile (it holds its private key) [default: ./NAME.ovpn]",
            HelpName = "FILE",
        };
        var command = new Command("profile",
            "Make a VPN profile: a key made here, a certificate of the cluster's VPN CA for the spec's profile lifetime, and an "
            + ".ovpn file with the CA and the tls-crypt key inline.") { name, file, local, output };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, file, local, stderr, async (spec, session) =>
        {
            var profileName = parse.GetRequiredValue(name);
            var path = Path.GetFullPath(parse.GetValue(output) ?? $"{profileName}.ovpn");
            if (File.Exists(path))
            {
                await stderr.WriteLineAsync($"error: {path} exists; a profile is never written over a file. Give -o another path or move it.");
                return ExitCodes.BadInput;
            }
            var issued = await new VpnProfiles(session).IssueAsync(profileName, cancellationToken);
            Operations.Ssh.PrivateFiles.Write(path, issued.Ovpn, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            await stdout.WriteLineAsync(
                $"Wrote VPN profile {profileName} of cluster {spec.Name} to {path} (valid until {issued.Record.NotAfter:u}); "
                + $"connect with 'openvpn --config {path}'.");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Revoke(TextWriter stdout, TextWriter stderr)
    {
        var (file, local, name) = (CommonOptions.File(), CommonOptions.Local(), NameArgument());
        var command = new Command("revoke",
            "Revoke a VPN profile: the VPN CA's revocation list names it from now on, and the bastion refuses it once it has it "
            + "(at its next re-sync).") { name, file, local };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, file, local, stderr, async (spec, session) =>
        {
            var profileName = parse.GetRequiredValue(name);
            var revoked = await new VpnProfiles(session).RevokeAsync(profileName, cancellationToken);
            await stdout.WriteLineAsync(
                $"Revoked VPN profile {profileName} of cluster {spec.Name} (serial {string.Join(", ", revoked.Select(r => r.Serial))}); "
                + "the bastion refuses it once its agent has re-synced its role configuration.");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command List(TextWriter stdout, TextWriter stderr)
    {
        var (file, local) = (CommonOptions.File(), CommonOptions.Local());
        var output = CommonOptions.Output(OutputFormat.Table, OutputFormat.Json);
        var command = new Command("list", "Show every VPN profile issued: its state (active, revoked, expired), serial and validity.")
        {
            file, local, output,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, file, local, stderr, async (_, session) =>
        {
            var profiles = await new VpnProfiles(session).ListAsync(cancellationToken);
            var now = DateTimeOffset.UtcNow;
            if (parse.GetValue(output) == OutputFormat.Json) await stdout.WriteLineAsync(VpnProfileViews.Json(profiles, now));
            else PlanCommand.ConsoleFor(stdout).Write(VpnProfileViews.Table(profiles, now));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Argument<string> NameArgument() => new("name")
    {
        Description = $"The profile's name: 1 to {VpnProfileNames.MaxLength} letters, digits, '.', '_' and '-', like alice",
    };

    private static async Task<int> RunAsync(ParseResult parse, Option<string> file, Option<bool> local, TextWriter stderr,
        Func<ClusterSpec, IClusterSession, Task<int>> work, CancellationToken cancellationToken)
    {
        var spec = await SpecFile.ResolveAsync(parse, file, local, stderr);
        if (spec is null) return ExitCodes.BadInput;
        try
        {
            using var session = await ClusterProviders.OpenAsync(spec, null, cancellationToken);
            return await work(spec, session);
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return await CommandErrors.ReportAsync(e, stderr);
        }
    }
}
