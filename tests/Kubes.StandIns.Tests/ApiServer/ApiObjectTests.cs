using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Kubes.Agent.Tests.Components.Etcd;
using Kubes.Agent.Tests.Support;
using Kubes.StandIns.Tests.Support;

namespace Kubes.StandIns.Tests.ApiServer;

/// <summary>
/// API objects written to the kube-apiserver stand-in through its HTTPS port, with a client certificate of the cluster
/// CA, and kept in the real three-member etcd. Each test works in a namespace of its own: they share that etcd.
/// </summary>
[Collection(EtcdCollection.Name)]
public sealed class ApiObjectTests(EtcdClusterFixture etcd) : IDisposable
{
    private readonly ControlPlaneFiles _files = new(etcd.Ca, EtcdCollection.ClientUrls(etcd));
    private readonly string _namespace = "test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly List<IDisposable> _disposables = [];

    private string Leases => $"/apis/coordination.k8s.io/v1/namespaces/{_namespace}/leases";

    private string ConfigMaps => $"/api/v1/namespaces/{_namespace}/configmaps";

    [Fact]
    public async Task A_lease_is_created_once_read_and_updated_only_from_its_stored_resourceVersion()
    {
        var (apiserver, api) = await StartAsync();
        Assert.Equal("NotFound", (await api.GetAsync($"{Leases}/kubes-addons")).Body["reason"]?.ToString());

        var created = await api.PostAsync(Leases, Lease("kubes-addons", "agent-0"));
        Assert.Equal(201, created.Status);
        var again = await api.PostAsync(Leases, Lease("kubes-addons", "agent-1"));
        Assert.Equal((409, "AlreadyExists"), (again.Status, again.Body["reason"]?.ToString()));
        var read = await api.GetAsync($"{Leases}/kubes-addons");
        Assert.Equal(200, read.Status);
        Assert.Equal("agent-0", read.Body["spec"]!["holderIdentity"]!.ToString());
        var firstVersion = ResourceVersion(read.Body);
        Assert.Equal(ResourceVersion(created.Body), firstVersion);

        var renewed = Lease("kubes-addons", "agent-0", firstVersion);
        var updated = await api.PutAsync($"{Leases}/kubes-addons", renewed);
        Assert.Equal(200, updated.Status);
        Assert.NotEqual(firstVersion, ResourceVersion(updated.Body));
        Assert.Equal(Uid(created.Body), Uid(updated.Body));
        var stale = await api.PutAsync($"{Leases}/kubes-addons", Lease("kubes-addons", "agent-1", firstVersion));
        Assert.Equal((409, "Conflict"), (stale.Status, stale.Body["reason"]?.ToString()));
        Assert.Contains("the object has been modified", stale.Body["message"]!.ToString());
        var unconditional = await api.PutAsync($"{Leases}/kubes-addons", Lease("kubes-addons", "agent-2"));
        Assert.Equal(200, unconditional.Status);
        Assert.Equal("agent-2", (await api.GetAsync($"{Leases}/kubes-addons")).Body["spec"]!["holderIdentity"]!.ToString());
        Assert.Equal(404, (await api.PutAsync($"{Leases}/nobody", Lease("nobody", "agent-0"))).Status);
        Assert.Contains($"created {Leases}/kubes-addons (resourceVersion {firstVersion})", apiserver.Output);
    }

    [Fact]
    public async Task Server_side_apply_creates_then_stores_every_apply_keeping_uid_and_creationTimestamp()
    {
        var (apiserver, api) = await StartAsync();
        var path = $"{ConfigMaps}/kubes-addons";

        var created = await api.ApplyAsync(path, ConfigMap("kubes-addons", "a"));
        Assert.Equal(201, created.Status);
        var applied = await api.ApplyAsync(path, ConfigMap("kubes-addons", "a"));
        Assert.Equal(200, applied.Status);
        Assert.NotEqual(ResourceVersion(created.Body), ResourceVersion(applied.Body));
        Assert.Equal(Uid(created.Body), Uid(applied.Body));
        Assert.Equal(created.Body["metadata"]!["creationTimestamp"]!.ToString(), applied.Body["metadata"]!["creationTimestamp"]!.ToString());
        Assert.Equal((1, 2), (created.Body["metadata"]!["generation"]!.GetValue<int>(), applied.Body["metadata"]!["generation"]!.GetValue<int>()));
        var entry = Assert.Single(applied.Body["metadata"]!["managedFields"]!.AsArray())!;
        Assert.Equal(("kubes", "Apply", "v1", "FieldsV1"),
            (entry["manager"]!.ToString(), entry["operation"]!.ToString(), entry["apiVersion"]!.ToString(), entry["fieldsType"]!.ToString()));

        await api.ApplyAsync(path, ConfigMap("kubes-addons", "b"), "?fieldManager=operator");
        var read = await api.GetAsync(path);
        Assert.Equal("b", read.Body["data"]!["key"]!.ToString());
        Assert.Equal(_namespace, read.Body["metadata"]!["namespace"]!.ToString());
        Assert.Equal(["kubes", "operator"], read.Body["metadata"]!["managedFields"]!.AsArray().Select(e => e!["manager"]!.ToString()));
        Assert.Contains($"applied {path} for field manager kubes (resourceVersion {ResourceVersion(applied.Body)})", apiserver.Output);
    }

    [Fact]
    public async Task An_apply_is_refused_without_a_fieldManager_in_another_patch_type_or_for_another_object_than_its_path()
    {
        var (_, api) = await StartAsync();
        var path = $"{ConfigMaps}/kubes-addons";

        var anonymousManager = await api.ApplyAsync(path, ConfigMap("kubes-addons", "a"), "?force=true");
        Assert.Equal((422, "Invalid"), (anonymousManager.Status, anonymousManager.Body["reason"]?.ToString()));
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch", anonymousManager.Body["message"]?.ToString());
        Assert.Equal(415, (await api.SendAsync(HttpMethod.Patch, path + "?fieldManager=kubes", ConfigMap("kubes-addons", "a"), "application/merge-patch+json")).Status);
        Assert.Equal(400, (await api.ApplyAsync(path, ConfigMap("other", "a"))).Status);
        var elsewhere = ConfigMap("kubes-addons", "a");
        elsewhere["metadata"]!["namespace"] = "kube-system";
        Assert.Equal(400, (await api.ApplyAsync(path, elsewhere)).Status);
        var otherVersion = ConfigMap("kubes-addons", "a");
        otherVersion["apiVersion"] = "v2";
        Assert.Equal(400, (await api.ApplyAsync(path, otherVersion)).Status);
        Assert.Equal(404, (await api.GetAsync(path)).Status);
    }

    [Fact]
    public async Task A_collection_lists_its_own_objects_by_label_and_not_those_of_nested_paths()
    {
        var (_, api) = await StartAsync();
        Assert.Equal(201, (await api.ApplyAsync($"/api/v1/namespaces/{_namespace}", Namespace(_namespace))).Status);
        foreach (var (name, app) in new[] { ("dns", "coredns"), ("dns-extra", "coredns"), ("proxy", "kube-proxy") })
        {
            var configMap = ConfigMap(name, "a");
            configMap["metadata"]!["labels"] = new JsonObject { ["app"] = app };
            Assert.Equal(201, (await api.ApplyAsync($"{ConfigMaps}/{name}", configMap)).Status);
        }

        var dns = await api.GetAsync($"{ConfigMaps}?labelSelector=app%3Dcoredns");
        Assert.Equal(200, dns.Status);
        Assert.Equal(("ConfigMapList", "v1"), (dns.Body["kind"]!.ToString(), dns.Body["apiVersion"]!.ToString()));
        Assert.False(string.IsNullOrEmpty(dns.Body["metadata"]!["resourceVersion"]?.ToString()));
        Assert.Equal(["dns", "dns-extra"], Names(dns.Body));
        Assert.Equal(["dns", "dns-extra", "proxy"], Names((await api.GetAsync(ConfigMaps)).Body));
        Assert.Equal(3, Names((await api.GetAsync("/api/v1/configmaps")).Body).Count(name => name is "dns" or "dns-extra" or "proxy"));
        var namespaces = await api.GetAsync("/api/v1/namespaces");
        Assert.Contains(_namespace, Names(namespaces.Body));
        Assert.All(namespaces.Body["items"]!.AsArray(), item => Assert.Equal("Namespace", item!["kind"]!.ToString()));
        Assert.Equal("List", (await api.GetAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{_namespace}/rolebindings")).Body["kind"]!.ToString());

        var setBased = await api.GetAsync($"{ConfigMaps}?labelSelector=app%21%3Dcoredns");
        Assert.Equal((400, "BadRequest"), (setBased.Status, setBased.Body["reason"]?.ToString()));
        // KubernetesClient lists with ?watch=false, which asks for no watch; a watch itself is not played.
        Assert.Equal(["dns", "dns-extra", "proxy"], Names((await api.GetAsync($"{ConfigMaps}?watch=false")).Body));
        Assert.Equal(400, (await api.GetAsync($"{ConfigMaps}?watch=true")).Status);
    }

    [Fact]
    public async Task A_deleted_object_is_gone()
    {
        var (apiserver, api) = await StartAsync();
        var path = $"{ConfigMaps}/kubes-addons";
        await api.ApplyAsync(path, ConfigMap("kubes-addons", "a"));

        var deleted = await api.DeleteAsync(path);
        Assert.Equal(200, deleted.Status);
        Assert.Equal("kubes-addons", deleted.Body["metadata"]!["name"]!.ToString());
        Assert.Equal(404, (await api.GetAsync(path)).Status);
        Assert.Equal(404, (await api.DeleteAsync(path)).Status);
        Assert.Contains($"deleted {path}", apiserver.Output);
    }

    [Fact]
    public async Task An_object_written_through_one_apiserver_is_read_through_another_on_the_same_etcd()
    {
        var (_, throughFirst) = await StartAsync();
        var secondPort = FreePort.On(_files.Address);
        var (_, throughSecond) = await StartAsync(secondPort);

        var written = await throughFirst.ApplyAsync($"{Leases}/kubes-addons", Lease("kubes-addons", "agent-0"));
        var read = await throughSecond.GetAsync($"{Leases}/kubes-addons");

        Assert.Equal(200, read.Status);
        Assert.Equal(ResourceVersion(written.Body), ResourceVersion(read.Body));
        var renewed = await throughFirst.PutAsync($"{Leases}/kubes-addons", Lease("kubes-addons", "agent-0", ResourceVersion(written.Body)));
        Assert.Equal(200, renewed.Status);
        Assert.Equal(409, (await throughSecond.PutAsync($"{Leases}/kubes-addons", Lease("kubes-addons", "agent-1", ResourceVersion(written.Body)))).Status);
    }

    [Fact]
    public async Task Secrets_are_not_stored_and_a_certificate_of_another_CA_is_refused()
    {
        var (_, api) = await StartAsync();
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "token" }, ["data"] = new JsonObject { ["k"] = "dg==" },
        };
        var refused = await api.ApplyAsync($"/api/v1/namespaces/{_namespace}/secrets/token", secret);
        Assert.Equal(501, refused.Status);
        Assert.Contains("does not store Secrets", refused.Body["message"]!.ToString());

        using var otherCa = new TestCertificateAuthority("another CA");
        ClientCertificateFiles.Write(otherCa, "admin", _files.Path("intruder.crt"), _files.Path("intruder.key"), _files.Path("intruder-ca.crt"));
        using var intruderClient = HttpsProbe.Client(_files.Path("ca.crt"), _files.Path("intruder.crt"), _files.Path("intruder.key"));
        var intruder = new ApiCalls(intruderClient, _files.Server);
        Assert.Equal(401, (await intruder.ApplyAsync($"{ConfigMaps}/kubes-addons", ConfigMap("kubes-addons", "a"))).Status);
        Assert.Equal(401, (await intruder.GetAsync(ConfigMaps)).Status);
        Assert.Equal(404, (await api.GetAsync($"{ConfigMaps}/kubes-addons")).Status);
    }

    [Fact]
    public async Task Without_an_answering_etcd_an_object_request_is_answered_503()
    {
        using var files = new ControlPlaneFiles(etcd.Ca, [new Uri($"https://127.0.0.1:{FreePort.OnLoopback()}")]);
        using var apiserver = StandInProgram.Start(files.Root, "kube-apiserver", files.ApiServerArgs());
        using var client = HttpsProbe.Client(files.Path("ca.crt"), files.Path("admin.crt"), files.Path("admin.key"));
        await HttpsProbe.WaitAsync(client, new Uri(files.Server, "/livez"), status => status == 200, apiserver);

        var answer = await new ApiCalls(client, files.Server).GetAsync("/api/v1/namespaces/kube-system/configmaps/kubes-addons");

        Assert.Equal((503, "ServiceUnavailable"), (answer.Status, answer.Body["reason"]?.ToString()));
        Assert.Contains("no etcd member answered", answer.Body["message"]!.ToString());
    }

    /// <summary>An apiserver stand-in on the test's files (on another port when given), ready, and calls to it as the admin.</summary>
    private async Task<(StandInProgram Apiserver, ApiCalls Api)> StartAsync(int? port = null)
    {
        var server = port is null ? _files.Server : new Uri($"https://{_files.Address}:{port}");
        var apiserver = StandInProgram.Start(_files.Root, "kube-apiserver",
            _files.ApiServerArgs().Select(arg => port is not null && arg.StartsWith("--secure-port=") ? $"--secure-port={port}" : arg));
        _disposables.Add(apiserver);
        var client = HttpsProbe.Client(_files.Path("ca.crt"), _files.Path("admin.crt"), _files.Path("admin.key"));
        _disposables.Add(client);
        await HttpsProbe.WaitAsync(client, new Uri(server, "/readyz"), status => status == 200, apiserver);
        return (apiserver, new ApiCalls(client, server));
    }

    private static JsonObject Lease(string name, string holder, string? resourceVersion = null) => new()
    {
        ["apiVersion"] = "coordination.k8s.io/v1", ["kind"] = "Lease",
        ["metadata"] = resourceVersion is null ? new JsonObject { ["name"] = name } : new JsonObject { ["name"] = name, ["resourceVersion"] = resourceVersion },
        ["spec"] = new JsonObject { ["holderIdentity"] = holder, ["leaseDurationSeconds"] = 60 },
    };

    private static JsonObject ConfigMap(string name, string value) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = name }, ["data"] = new JsonObject { ["key"] = value },
    };

    private static JsonObject Namespace(string name) => new() { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };

    private static string ResourceVersion(JsonObject item) => item["metadata"]!["resourceVersion"]!.ToString();

    private static string Uid(JsonObject item) => item["metadata"]!["uid"]!.ToString();

    private static List<string> Names(JsonObject list) => list["items"]!.AsArray().Select(item => item!["metadata"]!["name"]!.ToString()).ToList();

    public void Dispose()
    {
        foreach (var disposable in _disposables) disposable.Dispose();
        _files.Dispose();
    }
}
