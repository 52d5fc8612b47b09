using Kubes.Agent;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Services;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;

if (args is ["--version"])
{
    Console.WriteLine(AgentConversation.Version);
    return 0;
}

Log.Logger = AgentLog.WriteTo(new LoggerConfiguration()
    .MinimumLevel.Information()
    .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
    .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
    .Enrich.FromLogContext())
    .CreateLogger();

try
{
    var configPath = ConfigPath(args);
    var config = AgentConfigLoader.Load(configPath);
    var paths = new AgentPaths(config.RootDir);
    Log.Information("kubes-agent {Version} starting: cluster {Cluster}, role {Role}, slot {Slot}, channel {Channel}, root {Root}, services by {ServiceManager}",
        AgentConversation.Version, config.Cluster, config.Role, config.Slot, config.Channel, paths.RootDir,
        ServiceHost.UsesSystemd(paths) ? "systemd" : "the agent's own supervisor");

    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
    builder.Services.AddSystemd();
    builder.Services.AddSerilog();
    builder.Services.AddKubesAgent(config);
    await builder.Build().RunAsync();
    return 0;
}
catch (AgentConfigException e)
{
    Log.Fatal("kubes-agent cannot start: {Reason}", e.Message);
    return 2;
}
catch (Exception e)
{
    Log.Fatal(e, "kubes-agent stopped on an unexpected error");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

static string ConfigPath(string[] args)
{
    for (var i = 0; i < args.Length - 1; i++)
    {
        if (args[i] == "--config")
        {
            return args[i + 1];
        }
    }

    return Environment.GetEnvironmentVariable("KUBES_AGENT_CONFIG") is { Length: > 0 } path ? path : AgentConfigLoader.DefaultPath;
}
