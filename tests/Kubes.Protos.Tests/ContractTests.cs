using Google.Protobuf;
using Google.Protobuf.Reflection;
using Kubes.Protos.V1;

namespace Kubes.Protos.Tests;

/// <summary>
/// The contract both channels and every deployed agent share: field numbers are the wire format, so renumbering or
/// reusing one would break agents already running. These tests pin them.
/// </summary>
public sealed class ContractTests
{
    [Theory]
    [InlineData("kubes.v1.InstanceIdentity", "cluster:1 instance_id:2 private_ip:3 availability_zone:4 role:5 slot:6 join_token:7 caller_identity:8")]
    [InlineData("kubes.v1.JoinResponse", "agent_credential:1 role_config:2")]
    [InlineData("kubes.v1.CertifyRequest", "instance_id:1 agent_credential:2 requests:3 ssh_host_public_key:5 service_account_public_key:6")]
    [InlineData("kubes.v1.CertifyResponse", "certificates:1 ssh_host_certificate:2")]
    [InlineData("kubes.v1.Artifact", "name:1 version:2 urls:3 sha256:4 distribution_packages:5")]
    [InlineData("kubes.v1.OpenVpnConfig", "port:1 client_network:2 routes:3 full_tunnel:4 dns_servers:5 tls_crypt_key:6 crl_pem:7")]
    [InlineData("kubes.v1.SshdConfig", "port:1 login_user:2 authorized_principals:3 user_ca_public_key:4 host_principals:5")]
    [InlineData("kubes.v1.IssuedCertificate", "identity:1 certificate_pem:2 ca_pem:3 not_after:4")]
    [InlineData("kubes.v1.AgentReport", "phase:1 step:2 health:3 error:4 at:5 config_hash:6 components:7")]
    [InlineData("kubes.v1.ReportResponse", "desired_config_hash:1")]
    [InlineData("kubes.v1.CertificateRequestSpec", "identity:1 key_algorithm:2 file_stem:3 policy_hash:4")]
    [InlineData("kubes.v1.Flag", "name:1 value:2")]
    [InlineData("kubes.v1.ComponentHealth", "component:1 healthy:2 detail:3")]
    [InlineData("kubes.v1.ContainerdConfig", "sandbox_image:1")]
    [InlineData("kubes.v1.CniConfig", "plugin:1 pod_cidr:2")]
    [InlineData("kubes.v1.KubeletConfig", "api_endpoint:1 cluster_dns:2 cluster_domain:3 provider_id:4 node_labels:5 extra_args:6")]
    [InlineData("kubes.v1.KubeProxyConfig", "api_endpoint:1 cluster_cidr:2 mode:3 extra_args:4")]
    [InlineData("kubes.v1.KubeApiServerConfig",
        "etcd_servers:1 service_cluster_ip_range:2 api_endpoint:3 service_account_public_keys:4 encryption_keys:5 extra_args:6")]
    [InlineData("kubes.v1.SecretEncryptionKey", "name:1 secret:2")]
    [InlineData("kubes.v1.KubeControllerManagerConfig", "cluster_cidr:1 service_cluster_ip_range:2 extra_args:3")]
    [InlineData("kubes.v1.KubeSchedulerConfig", "extra_args:1")]
    [InlineData("kubes.v1.MailboxRequest", "request_id:1 join:2 certify:3 report:4")]
    [InlineData("kubes.v1.MailboxResponse", "request_id:1 join:2 certify:3 report:4 error:5 answered_at:6")]
    public void Field_numbers_are_stable(string message, string fields)
    {
        var descriptor = RegistrarReflection.Descriptor.MessageTypes.Single(m => m.FullName == message);
        var actual = string.Join(' ', descriptor.Fields.InFieldNumberOrder().Select(f => $"{f.Name}:{f.FieldNumber}"));
        Assert.Equal(fields, actual);
    }

    [Fact]
    public void The_node_components_sections_keep_their_numbers_and_the_old_node_section_stays_retired()
    {
        var role = RegistrarReflection.Descriptor.MessageTypes.Single(m => m.Name == "RoleConfig");

        Assert.Equal((18, 19, 20, 21), (role.FindFieldByName("containerd").FieldNumber, role.FindFieldByName("cni").FieldNumber,
            role.FindFieldByName("kubelet").FieldNumber, role.FindFieldByName("kube_proxy").FieldNumber));
        Assert.Null(role.FindFieldByNumber(12));
    }

    [Fact]
    public void The_control_plane_sections_keep_their_numbers_and_the_old_control_plane_section_stays_retired()
    {
        var role = RegistrarReflection.Descriptor.MessageTypes.Single(m => m.Name == "RoleConfig");

        Assert.Equal((15, 16, 17), (role.FindFieldByName("kube_apiserver").FieldNumber,
            role.FindFieldByName("kube_controller_manager").FieldNumber, role.FindFieldByName("kube_scheduler").FieldNumber));
        Assert.Null(role.FindFieldByNumber(11));
        Assert.Null(role.FindFieldByName("control_plane"));
    }

    [Fact]
    public void The_bastion_and_ssh_sections_of_a_role_configuration_keep_their_numbers()
    {
        var roleConfig = RegistrarReflection.Descriptor.MessageTypes.Single(m => m.Name == "RoleConfig");
        Assert.Equal("kubes.v1.OpenVpnConfig", roleConfig.FindFieldByNumber(24).MessageType.FullName);
        Assert.Equal("kubes.v1.SshdConfig", roleConfig.FindFieldByNumber(25).MessageType.FullName);
    }

    [Fact]
    public void Phases_keep_their_numbers()
    {
        var phases = Enum.GetValues<Phase>().ToDictionary(p => p.ToString(), p => (int)p);
        Assert.Equal(6, phases["Ready"]);
        Assert.Equal(7, phases["Degraded"]);
        Assert.Equal(8, phases["Failed"]);
        Assert.Equal(9, phases["RoleNotInstallable"]);
    }

    [Fact]
    public void A_mailbox_request_round_trips_through_its_bytes()
    {
        var request = new MailboxRequest
        {
            RequestId = "01J0000000000000000000000",
            Join = new JoinRequest
            {
                AgentVersion = "1.0.0",
                Identity = new InstanceIdentity { Cluster = "demo", InstanceId = "i-0123456789abcdef0", Role = Role.Etcd, Slot = 2 },
            },
        };
        var parsed = MailboxRequest.Parser.ParseFrom(request.ToByteArray());
        Assert.Equal(request, parsed);
        Assert.Equal(MailboxRequest.BodyOneofCase.Join, parsed.BodyCase);
    }

    [Fact]
    public void The_registrar_service_has_the_four_calls()
    {
        var service = RegistrarReflection.Descriptor.Services.Single();
        Assert.Equal(["Join", "Certify", "Report", "Watch"], service.Methods.Select(m => m.Name));
        Assert.True(service.Methods.Single(m => m.Name == "Watch").IsServerStreaming);
    }
}
