using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Kubes.Protos.V1;

namespace Kubes.Agent.Configuration;

/// <summary>Reads agent.json and refuses a configuration the agent could not act on, naming the field.</summary>
public static class AgentConfigLoader
{
    public const string DefaultPath = "/etc/kubes/agent.json";

    public static AgentConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new AgentConfigException(
                $"the agent configuration {path} does not exist: user-data writes it; pass --config <path> to use another file");
        }

        AgentConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(File.ReadAllText(path), AgentConfigJsonContext.Default.AgentConfig);
        }
        catch (JsonException e)
        {
            throw new AgentConfigException($"the agent configuration {path} is not valid: {e.Message}");
        }

        if (config is null)
        {
            throw new AgentConfigException($"the agent configuration {path} is empty");
        }

        Validate(config, path);
        return config;
    }

    /// <summary>The pinned coordinator CA certificate from agent.json, when it carries one.</summary>
    public static X509Certificate2? CoordinatorCa(AgentConfig config) =>
        config.CoordinatorCa.Length == 0 ? null : X509CertificateLoader.LoadCertificate(Convert.FromBase64String(config.CoordinatorCa));

    private static string? CoordinatorCaProblem(AgentConfig config)
    {
        try
        {
            using var ca = CoordinatorCa(config)!;
            return CaFingerprint.Of(ca.RawData) == config.CoordinatorCaSha256.ToLowerInvariant()
                ? null
                : $"is a certificate whose sha256 is {CaFingerprint.Of(ca.RawData)}, not the pinned {config.CoordinatorCaSha256}";
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
        {
            return $"is not a base64 DER certificate: {e.Message}";
        }
    }

    public static void Validate(AgentConfig config, string path)
    {
        void Fail(string field, string problem) =>
            throw new AgentConfigException($"{path}: '{field}' {problem}");

        if (string.IsNullOrWhiteSpace(config.Cluster))
        {
            Fail("cluster", "is empty");
        }

        if (!RoleNames.TryParse(config.Role, out _))
        {
            Fail("role", $"is '{config.Role}'; expected one of etcd, controller, node, bastion");
        }

        if (config.Slot < 0)
        {
            Fail("slot", "must be 0 or more");
        }

        if (config.StsEndpoint.Length > 0
            && (!Uri.TryCreate(config.StsEndpoint, UriKind.Absolute, out var sts) || sts.Scheme is not ("https" or "http")))
        {
            Fail("stsEndpoint", $"is '{config.StsEndpoint}'; expected the http(s) URL of STS or nothing");
        }

        if (config.StsEndpoint.Length > 0 && config.StsRegion.Length == 0)
        {
            Fail("stsRegion", "is empty; the STS proof is signed for a region");
        }

        if (!Path.IsPathRooted(config.RootDir))
        {
            Fail("rootDir", $"is '{config.RootDir}'; it must be an absolute path ('/' on AWS)");
        }

        if (config.HealthIntervalSeconds < 1)
        {
            Fail("healthIntervalSeconds", "must be at least 1");
        }

        switch (config.Channel)
        {
            case "grpc":
                if (!Uri.TryCreate(config.CoordinatorUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
                {
                    Fail("coordinatorUrl", $"is '{config.CoordinatorUrl}'; the gRPC channel needs an https:// URL");
                }

                if (!CaFingerprint.TryParse(config.CoordinatorCaSha256, out _))
                {
                    Fail("coordinatorCaSha256", "must be 'sha256:' followed by 64 hex digits (the coordinator CA certificate's DER hash)");
                }

                if (config.CoordinatorCa.Length > 0 && CoordinatorCaProblem(config) is { } problem)
                {
                    Fail("coordinatorCa", problem);
                }

                break;
            case "s3":
                if (config.Mailbox is null || string.IsNullOrWhiteSpace(config.Mailbox.Bucket))
                {
                    Fail("mailbox.bucket", "is missing; the s3 channel needs the state store's bucket");
                }

                if (!string.IsNullOrEmpty(config.Mailbox!.Endpoint) && !Uri.TryCreate(config.Mailbox.Endpoint, UriKind.Absolute, out _))
                {
                    Fail("mailbox.endpoint", $"is '{config.Mailbox.Endpoint}'; expected an absolute URL or nothing");
                }

                break;
            default:
                Fail("channel", $"is '{config.Channel}'; expected grpc or s3");
                break;
        }
    }
}

public sealed class AgentConfigException(string message) : Exception(message);

/// <summary>The lower-case role names of agent.json and the contract's <see cref="Role"/>.</summary>
public static class RoleNames
{
    public static bool TryParse(string? name, out Role role)
    {
        role = name switch
        {
            "bastion" => Role.Bastion,
            "etcd" => Role.Etcd,
            "controller" => Role.Controller,
            "node" => Role.Node,
            _ => Role.Unspecified,
        };
        return role != Role.Unspecified;
    }

    public static Role Parse(string name) =>
        TryParse(name, out var role) ? role : throw new AgentConfigException($"unknown role '{name}'");
}
