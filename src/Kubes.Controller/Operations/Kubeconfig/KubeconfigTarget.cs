namespace Kubes.Controller.Operations.Kubeconfig;

/// <summary>
/// Which kubeconfig file <c>kubes kubeconfig</c> writes, as kubectl would read it: <c>--out FILE</c> (a file of its own),
/// else the first path of <c>$KUBECONFIG</c>, else <c>~/.kube/config</c>; both of those are merged into.
/// </summary>
public sealed record KubeconfigTarget(string Path, bool Standalone)
{
    /// <exception cref="KubeconfigFormatException">No file can be named (no HOME), or the one named is a folder.</exception>
    public static KubeconfigTarget Resolve(string? outFile, string? kubeconfigVariable, string? home)
    {
        var target = outFile is { Length: > 0 } file ? new KubeconfigTarget(System.IO.Path.GetFullPath(file), true)
            : kubeconfigVariable?.Split(':', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } first
                ? new KubeconfigTarget(System.IO.Path.GetFullPath(first), false)
            : home is { Length: > 0 } ? new KubeconfigTarget(System.IO.Path.Join(home, ".kube", "config"), false)
            : throw new KubeconfigFormatException("neither --out, KUBECONFIG nor HOME names a kubeconfig file: give --out FILE");
        if (Directory.Exists(target.Path))
            throw new KubeconfigFormatException($"{target.Path} is a folder, not a kubeconfig file: give --out a file's path");
        return target;
    }

    /// <summary>
    /// Writes the credentials: a standalone file replaces what is there, the shared one keeps everything but this cluster's
    /// entries. The file is the owner's alone (0600, it holds a private key), written whole or not at all.
    /// </summary>
    /// <exception cref="KubeconfigFormatException">The shared file is not a kubeconfig.</exception>
    public void Write(AdminCredentials credentials)
    {
        var text = Standalone || !File.Exists(Path)
            ? KubeconfigDocument.Standalone(credentials)
            : KubeconfigDocument.Merge(File.ReadAllText(Path), credentials, Path);
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(folder))
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Ssh.PrivateFiles.Write(Path, text, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
