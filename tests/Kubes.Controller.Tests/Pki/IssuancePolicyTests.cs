using System.Net;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Pki;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Pki.Support;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Pki;

public class IssuancePolicyTests
{
    private static readonly ClusterTopology Local = ClusterTopology.From(TestClusters.Local());
    private static readonly ClusterTopology Aws = ClusterTopology.From(TestClusters.Aws());

    private static InstanceSlot Slot(ClusterTopology topology, InstanceRole role, int index) =>
        topology.FindSlot(role, index)!;

    [Fact]
    public void All_lists_every_slot_identity_and_the_admin_once()
    {
        var all = new IssuancePolicy(Local).All();

        // The bastion's VPN server, 3 etcd members, 3 controllers x 7, 3 nodes x 3, the admin.
        Assert.Equal(1 + 3 + 21 + 9 + 1, all.Count);
        Assert.Equal(all.Count, all.Select(i => i.Name).Distinct().Count());
        Assert.Equal(3, all.Count(i => i.Kind == IdentityKind.EtcdMember));
        Assert.Equal(3, all.Count(i => i.Kind == IdentityKind.KubeletServing));
        Assert.Single(all, i => i.Kind == IdentityKind.Admin);
        Assert.DoesNotContain(all, i => i.Kind == IdentityKind.CoordinatorServing);
    }

    [Fact]
    public void Only_the_admin_certificate_carries_system_masters()
    {
        var policy = new IssuancePolicy(Local);
        var masters = policy.All().Where(i => i.Organizations.Contains(KubernetesGroups.Masters)).ToList();

        Assert.Equal([policy.ForAdmin()], masters);
        Assert.DoesNotContain(Local.Slots.SelectMany(policy.ForSlot), i => i.Kind == IdentityKind.Admin);
    }

    [Fact]
    public void An_etcd_member_gets_a_server_and_peer_certificate_for_its_slot_names()
    {
        var slot = Slot(Local, InstanceRole.Etcd, 1);
        var member = Assert.Single(new IssuancePolicy(Local).ForSlot(slot));

        Assert.Equal(IdentityKind.EtcdMember, member.Kind);
        Assert.Equal("etcd-member/etcd-1", member.Name);
        Assert.Equal(CertificateAuthorityKind.Etcd, member.Issuer);
        Assert.Equal("etcd-1", member.CommonName);
        Assert.Empty(member.Organizations);
        Assert.Equal(["etcd-1.demo.kubes.internal", "etcd-1", "localhost"], member.DnsNames);
        Assert.Equal([slot.PrivateIp!, IPAddress.Loopback], member.IpAddresses);
        Assert.Equal(ExtendedKeyUsages.ServerAuth | ExtendedKeyUsages.ClientAuth, member.ExtendedKeyUsages);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, member.KeyUsage);
        Assert.Equal(TimeSpan.FromDays(365), member.Lifetime);
        Assert.Equal("etcd-member", member.FileStem);
    }

    [Fact]
    public void A_controller_gets_the_control_plane_certificates_from_the_right_authorities()
    {
        var slot = Slot(Local, InstanceRole.Controller, 2);
        var identities = new IssuancePolicy(Local).ForSlot(slot).ToDictionary(i => i.Kind);

        Assert.Equal(
            [IdentityKind.AddonManager, IdentityKind.ApiServerServing, IdentityKind.EtcdApiServerClient, IdentityKind.ApiServerKubeletClient,
             IdentityKind.FrontProxyClient, IdentityKind.ControllerManager, IdentityKind.Scheduler],
            identities.Keys);
        Assert.All(identities.Values, i => Assert.EndsWith("/controller-2", i.Name, StringComparison.Ordinal));

        var etcdClient = identities[IdentityKind.EtcdApiServerClient];
        Assert.Equal((CertificateAuthorityKind.Etcd, "kube-apiserver-etcd-client"), (etcdClient.Issuer, etcdClient.CommonName));
        Assert.Equal(["kubes:etcd-clients"], etcdClient.Organizations);

        var kubeletClient = identities[IdentityKind.ApiServerKubeletClient];
        Assert.Equal((CertificateAuthorityKind.Kubernetes, "kube-apiserver-kubelet-client"),
            (kubeletClient.Issuer, kubeletClient.CommonName));
        Assert.Equal(["kubes:apiserver-kubelet-clients"], kubeletClient.Organizations);

        var frontProxy = identities[IdentityKind.FrontProxyClient];
        Assert.Equal((CertificateAuthorityKind.FrontProxy, "front-proxy-client"), (frontProxy.Issuer, frontProxy.CommonName));
        Assert.Equal("system:kube-controller-manager", identities[IdentityKind.ControllerManager].CommonName);
        Assert.Equal("system:kube-scheduler", identities[IdentityKind.Scheduler].CommonName);
        Assert.All(identities.Values.Where(i => i.Kind != IdentityKind.ApiServerServing), i =>
        {
            Assert.Equal(ExtendedKeyUsages.ClientAuth, i.ExtendedKeyUsages);
            Assert.Empty(i.DnsNames);
            Assert.Empty(i.IpAddresses);
        });
    }

    [Fact]
    public void The_apiserver_serving_certificate_names_every_way_clients_reach_it()
    {
        var slot = Slot(Local, InstanceRole.Controller, 0);
        var serving = new IssuancePolicy(Local).ForSlot(slot).Single(i => i.Kind == IdentityKind.ApiServerServing);

        Assert.Equal("kube-apiserver", serving.CommonName);
        Assert.Equal(CertificateAuthorityKind.Kubernetes, serving.Issuer);
        Assert.Equal(
            ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local",
             "api.demo.kubes.internal", "controller-0.demo.kubes.internal", "localhost"],
            serving.DnsNames);
        Assert.Equal(
            [IPAddress.Parse("10.32.0.1"),
             .. Local.SlotsOf(InstanceRole.Controller).Select(s => s.PrivateIp!),
             IPAddress.Loopback],
            serving.IpAddresses);
        Assert.Equal(ExtendedKeyUsages.ServerAuth, serving.ExtendedKeyUsages);
    }

    [Fact]
    public void The_apiserver_serving_certificate_names_the_load_balancers_dns_name_once_it_is_known()
    {
        var slot = Slot(Aws, InstanceRole.Controller, 1);
        var endpoint = new ApiEndpoint("internal-demo-api-1234567890.us-east-1.elb.amazonaws.com", 6443);

        var serving = new IssuancePolicy(Aws, endpoint).ForSlot(slot).Single(i => i.Kind == IdentityKind.ApiServerServing);
        var before = new IssuancePolicy(Aws).ForSlot(slot).Single(i => i.Kind == IdentityKind.ApiServerServing);

        Assert.Equal([.. before.DnsNames.Take(5), endpoint.Host, .. before.DnsNames.Skip(5)], serving.DnsNames);
        Assert.Equal(before.IpAddresses, serving.IpAddresses);
        // A change of names is a change of policy: the agent renews the certificate at once.
        Assert.NotEqual(before.PolicyHash("ecdsa-p256"), serving.PolicyHash("ecdsa-p256"));
        Assert.Equal(new IssuancePolicy(Aws).ForSlot(slot).Where(i => i.Kind != IdentityKind.ApiServerServing),
            new IssuancePolicy(Aws, endpoint).ForSlot(slot).Where(i => i.Kind != IdentityKind.ApiServerServing));
    }

    [Fact]
    public void An_endpoint_at_an_address_is_an_ip_san_of_the_apiserver_certificate()
    {
        var slot = Slot(Local, InstanceRole.Controller, 0);
        var endpoint = new ApiEndpoint("10.0.0.3", 6443);

        var serving = new IssuancePolicy(Local, endpoint).ForSlot(slot).Single(i => i.Kind == IdentityKind.ApiServerServing);

        Assert.Contains(IPAddress.Parse("10.0.0.3"), serving.IpAddresses);
        Assert.DoesNotContain("10.0.0.3", serving.DnsNames);
    }

    [Fact]
    public void A_node_slot_with_a_fixed_address_is_named_after_its_slot()
    {
        var slot = Slot(Local, InstanceRole.Node, 2);
        var identities = new IssuancePolicy(Local).ForSlot(slot).ToDictionary(i => i.Kind);

        Assert.Equal([IdentityKind.KubeletClient, IdentityKind.KubeletServing, IdentityKind.KubeProxy], identities.Keys);
        var client = identities[IdentityKind.KubeletClient];
        Assert.Equal(("kubelet-client/node-2", "system:node:node-2"), (client.Name, client.CommonName));
        Assert.Equal(["system:nodes"], client.Organizations);
        Assert.Equal(ExtendedKeyUsages.ClientAuth, client.ExtendedKeyUsages);

        var serving = identities[IdentityKind.KubeletServing];
        Assert.Equal("system:node:node-2", serving.CommonName);
        Assert.Equal(["node-2"], serving.DnsNames);
        Assert.Equal([slot.PrivateIp!], serving.IpAddresses);
        Assert.Equal(ExtendedKeyUsages.ServerAuth, serving.ExtendedKeyUsages);

        var proxy = identities[IdentityKind.KubeProxy];
        Assert.Equal(("system:kube-proxy", "system:node-proxier"), (proxy.CommonName, Assert.Single(proxy.Organizations)));
    }

    [Fact]
    public void An_AWS_node_slot_has_its_fixed_address_and_a_node_without_a_slot_is_named_from_the_verified_instance()
    {
        var policy = new IssuancePolicy(Aws);
        var slot = Slot(Aws, InstanceRole.Node, 0);

        var fromSlot = policy.ForSlot(slot).Single(i => i.Kind == IdentityKind.KubeletServing);
        Assert.Equal("system:node:node-0", fromSlot.CommonName);
        Assert.Equal([slot.PrivateIp!], fromSlot.IpAddresses);

        var identities = policy.ForNode("ip-10-0-3-17.ec2.internal", IPAddress.Parse("10.0.3.17"));
        var serving = identities.Single(i => i.Kind == IdentityKind.KubeletServing);
        Assert.Equal("system:node:ip-10-0-3-17.ec2.internal", serving.CommonName);
        Assert.Equal(["ip-10-0-3-17.ec2.internal"], serving.DnsNames);
        Assert.Equal([IPAddress.Parse("10.0.3.17")], serving.IpAddresses);
        Assert.Contains(policy.All(), i => i.Name == "kubelet-serving/node-0" && i.IpAddresses.SequenceEqual([slot.PrivateIp!]));
    }

    [Theory]
    [InlineData("Node-1")]
    [InlineData("node_1")]
    [InlineData("-node")]
    [InlineData("")]
    [InlineData("system:masters")]
    [InlineData("a..b")]
    public void A_node_name_that_is_not_a_DNS_name_is_refused(string name) =>
        Assert.Throws<ArgumentException>(() => new IssuancePolicy(Local).ForNode(name, IPAddress.Parse("10.0.0.5")));

    [Fact]
    public void The_bastion_gets_no_cluster_certificate_only_its_VPN_server_certificate()
    {
        var identity = Assert.Single(new IssuancePolicy(Local).ForSlot(Slot(Local, InstanceRole.Bastion, 0)));

        Assert.Equal("vpn-server/bastion-0", identity.Name);
        Assert.Equal(CertificateAuthorityKind.Vpn, identity.Issuer);
        Assert.Equal("bastion-0.demo.kubes.internal", identity.CommonName);
        Assert.Equal(["bastion-0.demo.kubes.internal"], identity.DnsNames);
        Assert.Equal(ExtendedKeyUsages.ServerAuth, identity.ExtendedKeyUsages);
    }

    [Fact]
    public void A_VPN_profile_is_a_client_certificate_of_the_VPN_CA_for_the_profile_lifetime()
    {
        var spec = Local.Spec with { Bastion = Local.Spec.Bastion with { Vpn = new VpnSpec { ProfileLifetime = Lifetime.FromDays(7) } } };

        var identity = new IssuancePolicy(ClusterTopology.From(spec)).ForVpnClient("alice");

        Assert.Equal("vpn-client/alice", identity.Name);
        Assert.Equal("alice", identity.CommonName);
        Assert.Equal(CertificateAuthorityKind.Vpn, identity.Issuer);
        Assert.Equal(ExtendedKeyUsages.ClientAuth, identity.ExtendedKeyUsages);
        Assert.Empty(identity.DnsNames);
        Assert.Empty(identity.Organizations);
        Assert.Equal(TimeSpan.FromDays(7), identity.Lifetime);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../etc")]
    [InlineData("alice/bob")]
    [InlineData("-alice")]
    [InlineData("alice ")]
    [InlineData("CN=admin,O=system:masters")]
    public void A_VPN_profile_name_that_could_be_a_path_or_a_subject_is_refused(string name) =>
        Assert.Throws<ArgumentException>(() => new IssuancePolicy(Local).ForVpnClient(name));

    [Fact]
    public void A_slot_of_another_cluster_is_refused()
    {
        var other = ClusterTopology.From(TestClusters.Local() with { Name = "other", Network = new NetworkSpec { VpcCidr = "10.9.0.0/16" } });
        Assert.Throws<ArgumentException>(() => new IssuancePolicy(Local).ForSlot(other.Slots[1]));
    }

    [Fact]
    public void The_admin_certificate_is_a_system_masters_client()
    {
        var admin = new IssuancePolicy(Local).ForAdmin();

        Assert.Equal(("admin/kubes-admin", "kubes-admin"), (admin.Name, admin.CommonName));
        Assert.Equal(["system:masters"], admin.Organizations);
        Assert.Equal(CertificateAuthorityKind.Kubernetes, admin.Issuer);
        Assert.Equal(ExtendedKeyUsages.ClientAuth, admin.ExtendedKeyUsages);
    }

    [Fact]
    public void The_coordinator_serving_certificate_carries_the_given_names()
    {
        var policy = new IssuancePolicy(Local);
        var coordinator = policy.ForCoordinator([IPAddress.Loopback, IPAddress.Loopback], ["localhost", "kubes.demo.kubes.internal"]);

        Assert.Equal(CertificateAuthorityKind.Kubernetes, coordinator.Issuer);
        Assert.Equal(["localhost", "kubes.demo.kubes.internal"], coordinator.DnsNames);
        Assert.Equal([IPAddress.Loopback], coordinator.IpAddresses);
        Assert.Equal(ExtendedKeyUsages.ServerAuth, coordinator.ExtendedKeyUsages);
        Assert.Throws<ArgumentException>(() => policy.ForCoordinator([], []));
        Assert.Throws<ArgumentException>(() => policy.ForCoordinator([], ["Bad Name"]));
    }

    [Fact]
    public void Lifetimes_come_from_the_spec()
    {
        var spec = TestClusters.Local() with
        {
            Pki = new PkiSpec { CertificateLifetime = Lifetime.FromMinutes(90), AdminCertificateLifetime = Lifetime.FromHours(2) },
        };
        var all = new IssuancePolicy(ClusterTopology.From(spec)).All();
        Assert.All(all.Where(i => i.Kind != IdentityKind.Admin), i => Assert.Equal(TimeSpan.FromMinutes(90), i.Lifetime));
        Assert.Equal(TimeSpan.FromHours(2), Assert.Single(all, i => i.Kind == IdentityKind.Admin).Lifetime);
    }

    [Fact]
    public void The_admin_certificate_lives_18_hours_unless_the_spec_says_otherwise() =>
        Assert.Equal(TimeSpan.FromHours(18), new IssuancePolicy(Local).ForAdmin().Lifetime);

    [Fact]
    public void The_policy_hash_is_the_same_for_the_same_policy_and_changes_with_anything_it_puts_into_the_certificate()
    {
        var identity = new IssuancePolicy(Local).ForAdmin();
        var again = new IssuancePolicy(ClusterTopology.From(TestClusters.Local())).ForAdmin();
        var hash = identity.PolicyHash("ecdsa-p256");

        Assert.Equal(hash, again.PolicyHash("ecdsa-p256"));
        Assert.All(new[]
        {
            identity.PolicyHash("rsa-2048"),
            (identity with { CommonName = "someone-else" }).PolicyHash("ecdsa-p256"),
            (identity with { Organizations = [] }).PolicyHash("ecdsa-p256"),
            (identity with { DnsNames = ["extra"] }).PolicyHash("ecdsa-p256"),
            (identity with { IpAddresses = [System.Net.IPAddress.Loopback] }).PolicyHash("ecdsa-p256"),
            (identity with { ExtendedKeyUsages = ExtendedKeyUsages.ServerAuth }).PolicyHash("ecdsa-p256"),
            (identity with { Issuer = CertificateAuthorityKind.Etcd }).PolicyHash("ecdsa-p256"),
            (identity with { Lifetime = identity.Lifetime + TimeSpan.FromMinutes(1) }).PolicyHash("ecdsa-p256"),
        }, other => Assert.NotEqual(hash, other));
    }

    [Fact]
    public void RSA_keys_of_server_certificates_also_get_key_encipherment()
    {
        var policy = new IssuancePolicy(Local);
        var server = policy.ForAdmin() with { ExtendedKeyUsages = ExtendedKeyUsages.ServerAuth };
        var client = policy.ForAdmin();

        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, server.KeyUsageFor(rsaKey: true));
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, server.KeyUsageFor(rsaKey: false));
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, client.KeyUsageFor(rsaKey: true));
    }

    [Fact]
    public void Two_policies_of_the_same_spec_agree()
    {
        Assert.Equal(new IssuancePolicy(Local).All(), new IssuancePolicy(ClusterTopology.From(TestClusters.Local())).All());
    }
}
