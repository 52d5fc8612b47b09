using System.Runtime.InteropServices;
using Kubes.StandIns;
using Kubes.StandIns.ApiServer;
using Kubes.StandIns.Clients;
using Kubes.StandIns.Flags;
using Kubes.StandIns.Nodes;

// One program, installed under each component's name (as 'kubes artifacts import' delivers kube-apiserver and the
// others): the name it runs under says which component it stands in for. Run under its own name, the first
// argument names the component instead.
var programName = Path.GetFileName(Environment.ProcessPath ?? "");
var components = new[] { ApiServerStandIn.Name, ControllerManagerStandIn.Name, SchedulerStandIn.Name, KubeletStandIn.Name, KubeProxyStandIn.Name };
var component = components.Contains(programName) ? programName : args.FirstOrDefault();
if (component is null || !components.Contains(component))
{
    Console.Error.WriteLine($"Kubes stand-in: install this program as one of {string.Join(", ", components)}, " +
                            $"or name the component first: {programName} kube-apiserver --flags...");
    return 2;
}

if (component != programName) args = args[1..];
Log.Component = component;
var release = KubernetesRelease.Built;
using var stopping = new CancellationTokenSource();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stopping.Cancel();
});
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    stopping.Cancel();
});

try
{
    var table = FlagTable.For(component, release);
    var line = CommandLine.Parse(table, args);
    if (line.Value("version") is { } version && version != "false")
    {
        Console.WriteLine(version == "raw" ? $"version.Info{{Major:\"{release.Major}\", Minor:\"{release.Minor}\", GitVersion:\"{release.GitVersion}\"}}" : $"Kubernetes {release.GitVersion}");
        return 0;
    }

    if (line.IsTrue("help", byDefault: false))
    {
        Console.WriteLine($"{component} (a Kubes test stand-in for Kubernetes {release.GitVersion}); flags: {table.Source}:");
        foreach (var flag in table.All.OrderBy(f => f.Name)) Console.WriteLine($"      --{flag.Name} {flag.Type}{(flag.Deprecated ? " (deprecated)" : "")}");
        return 0;
    }

    foreach (var deprecated in line.DeprecatedGiven) Log.Info($"Flag --{deprecated} has been deprecated");
    Log.Info($"Kubernetes {release.GitVersion} stand-in, flags checked against {table.Source}");
    await (component switch
    {
        ApiServerStandIn.Name => ApiServerStandIn.RunAsync(line, release, stopping.Token),
        ControllerManagerStandIn.Name => ControllerManagerStandIn.RunAsync(line, stopping.Token),
        SchedulerStandIn.Name => SchedulerStandIn.RunAsync(line, stopping.Token),
        KubeletStandIn.Name => KubeletStandIn.RunAsync(line, stopping.Token),
        _ => KubeProxyStandIn.RunAsync(line, stopping.Token),
    });
    return 0;
}
catch (StandInException e)
{
    Console.Error.WriteLine($"Error: {e.Message}");
    Console.Error.WriteLine($"({component}: a Kubes test stand-in for Kubernetes {release.GitVersion}; see docs/testing.md)");
    return 1;
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    return 0;
}
