using Kubes.StandIns.ApiServer;

namespace Kubes.StandIns.Tests.ApiServer;

public sealed class ApiPathTests
{
    [Theory]
    [InlineData("/api/v1/namespaces/kube-system/configmaps/kubes-addons", "", "v1", "kube-system", "configmaps", "kubes-addons")]
    [InlineData("/api/v1/namespaces/kube-system/configmaps", "", "v1", "kube-system", "configmaps", null)]
    [InlineData("/api/v1/namespaces/kube-system", "", "v1", null, "namespaces", "kube-system")]
    [InlineData("/api/v1/namespaces", "", "v1", null, "namespaces", null)]
    [InlineData("/api/v1/configmaps", "", "v1", null, "configmaps", null)]
    [InlineData("/api/v1/nodes/node-0/", "", "v1", null, "nodes", "node-0")]
    [InlineData("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kubes-addons", "coordination.k8s.io", "v1", "kube-system", "leases", "kubes-addons")]
    [InlineData("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", "rbac.authorization.k8s.io", "v1", null, "clusterrolebindings", null)]
    [InlineData("/apis/rbac.authorization.k8s.io/v1/clusterroles/system:coredns", "rbac.authorization.k8s.io", "v1", null, "clusterroles", "system:coredns")]
    [InlineData("/apis/apps/v1beta2/namespaces/status/deployments", "apps", "v1beta2", "status", "deployments", null)]
    public void It_reads_the_group_version_namespace_resource_and_name(string path, string group, string version, string? ns, string resource, string? name)
    {
        var parsed = ApiPath.Parse(path);

        Assert.Equal(new ApiPath(group, version, ns, resource, name), parsed);
        Assert.Equal(path.TrimEnd('/'), parsed!.ToString());
        Assert.Equal(name is null, parsed.IsCollection);
    }

    [Theory]
    [InlineData("/api")]
    [InlineData("/api/v1")]
    [InlineData("/api/v2/configmaps")]
    [InlineData("/apis")]
    [InlineData("/apis/apps")]
    [InlineData("/apis/apps/v1")]
    [InlineData("/apis/apps/latest/deployments")]
    [InlineData("/api/v1/namespaces/kube-system/status")]
    [InlineData("/api/v1/namespaces/kube-system/finalize")]
    [InlineData("/apis/apps/v1/namespaces/default/deployments/web/scale")]
    [InlineData("/api/v1/namespaces/default/pods/web/log")]
    [InlineData("/api/v1/nodes/node-0/status")]
    [InlineData("/api/v1/namespaces//configmaps")]
    [InlineData("/api/v1/namespaces/default/configmaps/..")]
    [InlineData("/api/v1/Pods")]
    [InlineData("/version")]
    [InlineData("/livez")]
    [InlineData("api/v1/pods")]
    public void Discovery_subresources_and_other_paths_are_not_object_paths(string path) => Assert.Null(ApiPath.Parse(path));

    [Theory]
    [InlineData("/api/v1/namespaces/kube-system/configmaps/c", "v1", "configmaps")]
    [InlineData("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/c", "coordination.k8s.io/v1", "leases.coordination.k8s.io")]
    public void It_says_the_apiVersion_of_its_objects_and_the_resource_as_messages_name_it(string path, string apiVersion, string qualified)
    {
        var parsed = ApiPath.Parse(path)!;

        Assert.Equal(apiVersion, parsed.ApiVersion);
        Assert.Equal(qualified, parsed.QualifiedResource);
        Assert.Equal(path[..path.LastIndexOf('/')], parsed.Collection.ToString());
        Assert.Equal(parsed, parsed.Collection.Child("c"));
    }

    /// <summary>Any path it builds, it reads back as the same path: the store's keys are these paths.</summary>
    [Fact]
    public void Every_path_it_writes_reads_back_the_same()
    {
        var random = new Random(7);
        string[] groups = ["", "apps", "coordination.k8s.io", "rbac.authorization.k8s.io"];
        string[] versions = ["v1", "v1beta1", "v2alpha3"];
        string?[] namespaces = [null, "kube-system", "namespaces", "status", "a-b"];
        string[] resources = ["namespaces", "configmaps", "leases", "status", "finalize"];
        string?[] names = [null, "kubes-addons", "system:coredns", "namespaces", "status", "x.y"];
        for (var i = 0; i < 2000; i++)
        {
            var group = Pick(groups);
            var path = new ApiPath(group, group == "" ? "v1" : Pick(versions), Pick(namespaces), Pick(resources), Pick(names));
            // A Namespace's status and finalize are its subresources, not collections: no path can name those collections.
            if (path is { Namespace: not null, Resource: "status" or "finalize" }) continue;
            Assert.Equal(path, ApiPath.Parse(path.ToString()));
        }

        T Pick<T>(T[] items) => items[random.Next(items.Length)];
    }
}
