namespace Kubes.Controller.Components.Etcd;

/// <summary>The etcd flags an override may not name, and why: Kubes sets them, or they would undo what it sets.</summary>
public static class EtcdLockedFlags
{
    private const string Identity = "Kubes sets the member's name, addresses and data folder from its slot";
    private const string Membership = "Kubes bootstraps the membership from the topology";
    private const string Trust = "Kubes sets the member's TLS from the cluster's etcd CA, with client certificates required on both ports";
    private const string Bypass = "it would serve or trust outside the certificates Kubes issues";

    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = Identity,
        ["data-dir"] = Identity,
        ["listen-client-urls"] = Identity,
        ["advertise-client-urls"] = Identity,
        ["listen-peer-urls"] = Identity,
        ["initial-advertise-peer-urls"] = Identity,
        ["initial-cluster"] = Membership,
        ["initial-cluster-token"] = Membership,
        ["initial-cluster-state"] = Membership,
        ["discovery"] = Membership,
        ["discovery-srv"] = Membership,
        ["discovery-srv-name"] = Membership,
        ["discovery-endpoints"] = Membership,
        ["discovery-token"] = Membership,
        ["force-new-cluster"] = Membership,
        ["cert-file"] = Trust,
        ["key-file"] = Trust,
        ["trusted-ca-file"] = Trust,
        ["client-cert-auth"] = Trust,
        ["peer-cert-file"] = Trust,
        ["peer-key-file"] = Trust,
        ["peer-trusted-ca-file"] = Trust,
        ["peer-client-cert-auth"] = Trust,
        ["auto-tls"] = Bypass,
        ["peer-auto-tls"] = Bypass,
        ["client-cert-file"] = Bypass,
        ["client-key-file"] = Bypass,
        ["peer-client-cert-file"] = Bypass,
        ["peer-client-key-file"] = Bypass,
        ["listen-client-http-urls"] = Bypass,
        ["peer-skip-client-san-verification"] = Bypass,
        ["experimental-peer-skip-client-san-verification"] = Bypass,
        ["config-file"] = "etcd ignores every other flag when it reads a configuration file",
    };
}
