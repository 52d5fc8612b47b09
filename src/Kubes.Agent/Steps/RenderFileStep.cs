using System.Security.Cryptography;
using Kubes.Agent.FileSystem;

namespace Kubes.Agent.Steps;

/// <summary>
/// Write a rendered file (a config file, a kubeconfig, an environment file) with its mode: <see cref="AtomicFile.OwnerOnly"/>
/// for anything secret, which never exists with a looser mode, not even for a moment. Done when the bytes and the mode on
/// disk are exactly these. Content given as a function is rendered when the step runs, from what earlier steps of the role
/// made (a key made on the instance).
/// </summary>
public sealed class RenderFileStep(string name, string path, Func<byte[]> content, UnixFileMode mode) : IInstallStep
{
    public RenderFileStep(string name, string path, byte[] content, UnixFileMode mode)
        : this(name, path, () => content, mode)
    {
    }

    public RenderFileStep(string name, string path, string content, UnixFileMode mode)
        : this(name, path, System.Text.Encoding.UTF8.GetBytes(content), mode)
    {
    }

    public RenderFileStep(string name, string path, Func<string> content, UnixFileMode mode)
        : this(name, path, () => System.Text.Encoding.UTF8.GetBytes(content()), mode)
    {
    }

    public string Name => name;

    public string Path => path;

    public UnixFileMode Mode => mode;

    public string InputHash => FileHash.OfInputs(path, Convert.ToHexStringLower(SHA256.HashData(content())), Convert.ToString((int)mode, 8));

    public async Task<bool> IsDoneAsync(CancellationToken cancellationToken) =>
        File.Exists(path)
        && File.GetUnixFileMode(path) == mode
        && (await File.ReadAllBytesAsync(path, cancellationToken)).AsSpan().SequenceEqual(content());

    public Task ApplyAsync(CancellationToken cancellationToken)
    {
        AtomicFile.WriteAllBytes(path, content(), mode);
        return Task.CompletedTask;
    }
}
