using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kubes.Controller.Components.Addons;
using Kubes.Controller.Operations.Kubeconfig;
using Kubes.Controller.Pki;

namespace Kubes.Controller.Operations.Up;

/// <summary>
/// The one object Kubes applies from outside the cluster: the ClusterRoleBinding that makes the controllers' add-on
/// managers (<see cref="KubernetesGroups.AddonManagers"/>) cluster admins, applied with the operator's admin certificate —
/// no instance holds system:masters, so nothing inside the cluster can grant it. Everything else the cluster applies to
/// itself. Applied once: an existing binding with the same role and subject is left as it is.
/// </summary>
public sealed class AddonManagerGrant(Func<CancellationToken, Task<AdminCredentials>> credentials, TimeSpan retryInterval, TimeProvider time)
{
    public const string BindingName = KubernetesGroups.AddonManagers;

    /// <summary>
    /// Tries until the binding is there or <paramref name="stop"/> fires (then once more if it had not been tried since).
    /// Returns null when it is there, else the last reason it could not be applied.
    /// </summary>
    public async Task<string?> RunAsync(CancellationToken stop, CancellationToken cancellationToken)
    {
        string? problem = "not tried";
        using var both = CancellationTokenSource.CreateLinkedTokenSource(stop, cancellationToken);
        while (true)
        {
            problem = await TryAsync(cancellationToken);
            if (problem is null || both.IsCancellationRequested) return problem;
            try
            {
                await Task.Delay(retryInterval, time, both.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return await TryAsync(cancellationToken);
            }
        }
    }

    private async Task<string?> TryAsync(CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(AttemptTimeout);
        try
        {
            using var client = new Kubernetes(AdminClientConfiguration.For(await credentials(attempt.Token)));
            if (await ExistingAsync(client, attempt.Token) is { } existing && Grants(existing)) return null;
            await client.RbacAuthorizationV1.PatchClusterRoleBindingAsync(new V1Patch(Binding(), V1Patch.PatchType.ApplyPatch), BindingName,
                fieldManager: Addon.FieldManager, force: true, cancellationToken: attempt.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"the API did not answer within {AttemptTimeout.TotalSeconds:0} s";
        }
        catch (HttpOperationException e)
        {
            return $"the API answered {e.Response.StatusCode:D} {e.Response.ReasonPhrase}: {e.Response.Content}";
        }
        catch (Exception e) when (e is HttpRequestException or Access.AccessException or Pki.Store.PkiStoreException)
        {
            return string.Join(": ", new[] { e.Message, e.InnerException?.Message }.Where(m => m is not null).Distinct());
        }
    }

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    private static async Task<V1ClusterRoleBinding?> ExistingAsync(Kubernetes client, CancellationToken cancellationToken)
    {
        try
        {
            return await client.RbacAuthorizationV1.ReadClusterRoleBindingAsync(BindingName, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static bool Grants(V1ClusterRoleBinding binding) =>
        binding.RoleRef is { Kind: "ClusterRole", Name: KubernetesGroups.ClusterAdminClusterRole }
        && binding.Subjects is [{ Kind: "Group", Name: KubernetesGroups.AddonManagers }];

    public static V1ClusterRoleBinding Binding() => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRoleBinding",
        Metadata = new V1ObjectMeta { Name = BindingName },
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = KubernetesGroups.ClusterAdminClusterRole },
        Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = KubernetesGroups.AddonManagers }],
    };
}
