using Kubes.Agent.Artifacts;
using Kubes.Agent.Channels;
using Kubes.Agent.Components;
using Kubes.Agent.Components.Addons;
using Kubes.Agent.Components.Cni;
using Kubes.Agent.Components.Containerd;
using Kubes.Agent.Components.Etcd;
using Kubes.Agent.Components.KubeApiServer;
using Kubes.Agent.Components.KubeControllerManager;
using Kubes.Agent.Components.Kubelet;
using Kubes.Agent.Components.KubeProxy;
using Kubes.Agent.Components.KubeScheduler;
using Kubes.Agent.Components.OpenVpn;
using Kubes.Agent.Components.Sshd;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Probes;
using Kubes.Agent.Identity;
using Kubes.Agent.Pki;
using Kubes.Agent.Processes;
using Kubes.Agent.Services;
using Kubes.Agent.Steps;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent;

/// <summary>The agent's object graph, from its configuration and what the host has.</summary>
public static class AgentServices
{
    public static IServiceCollection AddKubesAgent(this IServiceCollection services, AgentConfig config,
        ConversationTiming? timing = null)
    {
        var paths = new AgentPaths(config.RootDir);
        services.AddSingleton(config);
        services.AddSingleton(paths);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(timing ?? new ConversationTiming { HealthInterval = TimeSpan.FromSeconds(config.HealthIntervalSeconds) });
        services.AddSingleton(DataVolumeTiming.Default);

        services.AddSingleton(new InstanceMetadataClient(new HttpClient
        {
            BaseAddress = InstanceMetadataClient.EndpointFromEnvironment(),
            Timeout = TimeSpan.FromSeconds(5),
        }));
        services.AddSingleton<IInstanceIdentitySource, InstanceIdentitySource>();

        services.AddSingleton<IRegistrarChannel>(sp => new RetryingRegistrarChannel(
            CreateChannel(config, sp),
            sp.GetRequiredService<ConversationTiming>().Unreachable,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<RetryingRegistrarChannel>()));

        services.AddSingleton<AgentStateStore>();
        services.AddSingleton<RoleConfigRefresh>();
        services.AddSingleton<ResyncTrigger>();
        services.AddSingleton<FailureWaitListener>();
        services.AddSingleton<RoleConfigFollower>();
        services.AddSingleton<PkiFiles>();
        services.AddSingleton<KeyStore>();
        services.AddSingleton<CertificateEnrollment>();
        services.AddSingleton<AgentSession>();
        services.AddSingleton<CertificateRenewal>();
        services.AddSingleton(sp => new StepJournal(paths.JournalFile, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<StepRunner>();
        services.AddSingleton<CommandRunner>();
        services.AddSingleton(sp => new ArtifactFetcher(
            new HttpClient { Timeout = TimeSpan.FromMinutes(10) }, sp.GetRequiredService<ILogger<ArtifactFetcher>>()));
        if (ServiceHost.UsesSystemd(paths))
        {
            services.AddSingleton<IServiceManager, SystemdServiceManager>();
        }
        else
        {
            services.AddSingleton<ProcessServiceManager>();
            services.AddSingleton<IServiceManager>(sp => sp.GetRequiredService<ProcessServiceManager>());
        }

        services.AddSingleton<StepFactory>();
        services.AddSingleton<HttpsHealthProbe>();
        services.AddSingleton<HttpHealthProbe>();

        // The components, each from its own folder under Components/; RoleComponents says which make each role.
        services.AddSingleton<EtcdHealthCheck>();
        services.AddSingleton<IComponent, EtcdComponent>();
        services.AddSingleton<ContainerdHealthCheck>();
        services.AddSingleton<IComponent, ContainerdComponent>();
        services.AddSingleton<IComponent, CniComponent>();
        services.AddSingleton<KubeletHealthCheck>();
        services.AddSingleton<IComponent, KubeletComponent>();
        services.AddSingleton<KubeProxyHealthCheck>();
        services.AddSingleton<IComponent, KubeProxyComponent>();
        services.AddSingleton<OpenVpnHealthCheck>();
        services.AddSingleton<IComponent, OpenVpnComponent>();
        services.AddSingleton<SshdHealthCheck>();
        services.AddSingleton<IComponent, SshdComponent>();
        services.AddSingleton<KubeApiServerHealthCheck>();
        services.AddSingleton<IComponent, KubeApiServerComponent>();
        services.AddSingleton<ControlPlaneHealthz>();
        services.AddSingleton<IComponent, KubeControllerManagerComponent>();
        services.AddSingleton<IComponent, KubeSchedulerComponent>();
        services.AddSingleton(AddonApiConnector.MutualTls);
        services.AddSingleton<AddonLeaseElection>();
        services.AddSingleton<AddonApplier>();
        services.AddSingleton<AddonManager>();
        services.AddHostedService(sp => sp.GetRequiredService<AddonManager>());
        services.AddSingleton<IComponent, AddonsComponent>();

        services.AddSingleton(sp => new RoleComponents(sp.GetServices<IComponent>()));
        services.AddSingleton<RoleInstaller>();

        services.AddSingleton<ReportPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<ReportPublisher>());
        services.AddHostedService<AgentConversation>();
        return services;
    }

    private static IRegistrarChannel CreateChannel(AgentConfig config, IServiceProvider services)
    {
        if (config.Channel == "grpc")
        {
            CaFingerprint.TryParse(config.CoordinatorCaSha256, out var pin);
            var metadata = services.GetRequiredService<InstanceMetadataClient>();
            return new GrpcRegistrarChannel(new Uri(config.CoordinatorUrl), pin, AgentConfigLoader.CoordinatorCa(config),
                async ct => System.Net.IPAddress.TryParse(await metadata.GetPrivateIpAsync(ct), out var ip) ? ip : null);
        }

        var mailbox = config.Mailbox!;
        return new S3MailboxChannel(S3MailboxChannel.CreateClient(mailbox), mailbox,
            services.GetRequiredService<TimeProvider>(), MailboxTiming.Default,
            services.GetRequiredService<ILoggerFactory>().CreateLogger<S3MailboxChannel>());
    }
}
