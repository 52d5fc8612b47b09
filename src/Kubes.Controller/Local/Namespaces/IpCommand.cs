namespace Kubes.Controller.Local.Namespaces;

/// <summary>iproute2's <c>ip</c>, run to completion; a failure names the command and what ip said.</summary>
internal static class IpCommand
{
    private static readonly HostCommand Ip = new("ip", "iproute2");

    public static Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        Ip.RunAsync(arguments, cancellationToken);

    /// <summary>For clean-up and probes: whether the command succeeded.</summary>
    public static Task<bool> TryRunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        Ip.TryRunAsync(arguments, cancellationToken);

    /// <summary>For probes of what may not exist: the output, or null when the command failed.</summary>
    public static Task<string?> TryReadAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        Ip.TryReadAsync(arguments, cancellationToken);
}
