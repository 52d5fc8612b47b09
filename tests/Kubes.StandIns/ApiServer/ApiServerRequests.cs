using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using Kubes.StandIns.Files;
using Microsoft.AspNetCore.Http;

namespace Kubes.StandIns.ApiServer;

/// <summary>
/// How the kube-apiserver stand-in answers: a client certificate must chain to --client-ca-file (else 401, as the x509
/// authenticator refuses it); a request without one is anonymous (<see cref="AnonymousAccess"/>). It answers the
/// health endpoints (/livez, /readyz, /healthz, with ?verbose), /version, and the discovery roots /api and /apis, which
/// is what <c>kubectl version</c> and <c>kubectl get --raw</c> ask for; the paths of API objects and their collections
/// go to <see cref="ObjectRequests"/>; anything else is 404. An authenticated user may read and write all of it: RBAC
/// is not played.
/// </summary>
public sealed class ApiServerRequests(KubernetesRelease release, EtcdStorage etcd, ObjectRequests objects, X509Certificate2Collection? clientCa,
    AnonymousAccess anonymous, string advertisedAddress)
{
    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var certificate = await context.Connection.GetClientCertificateAsync();
        if (certificate is not null)
        {
            var problem = clientCa is null ? "no --client-ca-file is given" : Pem.ChainProblem(certificate, [], clientCa);
            if (problem is not null)
            {
                Log.Info($"refused {context.Request.Method} {path} from {certificate.Subject}: {problem}");
                await SecureServer.WriteStatusAsync(context, 401, "Unauthorized", "Unauthorized");
                return;
            }
        }
        else if (!anonymous.Authenticates(path))
        {
            await SecureServer.WriteStatusAsync(context, 401, "Unauthorized", "Unauthorized");
            return;
        }
        else if (!AnonymousAccess.IsPublicInfo(path))
        {
            await SecureServer.WriteStatusAsync(context, 403, "Forbidden",
                $"forbidden: User \"system:anonymous\" cannot get path \"{path}\"");
            return;
        }

        await AnswerAsync(context, path);
    }

    private async Task AnswerAsync(HttpContext context, string path)
    {
        var verbose = context.Request.Query.ContainsKey("verbose");
        switch (path)
        {
            case "/livez" or "/livez/ping":
                await context.Response.WriteAsync(verbose ? "[+]ping ok\nlivez check passed\n" : "ok");
                break;
            case "/readyz" or "/healthz" or "/readyz/etcd" or "/healthz/etcd":
                var kind = path.Split('/')[1];
                context.Response.StatusCode = etcd.Ready ? 200 : 500;
                await context.Response.WriteAsync(verbose || !etcd.Ready
                    ? $"[+]ping ok\n[{(etcd.Ready ? '+' : '-')}]etcd {(etcd.Ready ? "ok" : "failed: " + EtcdProblem())}\n{kind} check {(etcd.Ready ? "passed" : "failed")}\n"
                    : "ok");
                break;
            case "/version" or "/version/":
                await context.Response.WriteAsJsonAsync(Version());
                break;
            case "/api" or "/api/":
                await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
                {
                    ["kind"] = "APIVersions", ["versions"] = new[] { "v1" },
                    ["serverAddressByClientCIDRs"] = new[] { new Dictionary<string, string> { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = advertisedAddress } },
                });
                break;
            case "/apis" or "/apis/":
                await context.Response.WriteAsJsonAsync(new Dictionary<string, object> { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = Array.Empty<object>() });
                break;
            default:
                if (ApiPath.Parse(path) is { } objectPath) await objects.HandleAsync(context, objectPath);
                else await SecureServer.WriteStatusAsync(context, 404, "NotFound", "the server could not find the requested resource");
                break;
        }
    }

    private string EtcdProblem() =>
        string.Join("; ", etcd.LastProblems.Select(p => $"{p.Key}: {p.Value ?? "ok"}").DefaultIfEmpty("not checked yet"));

    /// <summary>The /version document in kube-apiserver's shape (k8s.io/apimachinery version.Info).</summary>
    private Dictionary<string, string> Version() => new()
    {
        ["major"] = release.Major.ToString(), ["minor"] = release.Minor.ToString(),
        ["emulationMajor"] = release.Major.ToString(), ["emulationMinor"] = release.Minor.ToString(),
        ["minCompatibilityMajor"] = release.Major.ToString(), ["minCompatibilityMinor"] = (release.Minor - 1).ToString(),
        ["gitVersion"] = release.GitVersion, ["gitCommit"] = "", ["gitTreeState"] = "",
        ["buildDate"] = File.GetLastWriteTimeUtc(Environment.ProcessPath!).ToString("yyyy-MM-ddTHH:mm:ssZ"),
        ["goVersion"] = $"none: a Kubes stand-in on {RuntimeInformation.FrameworkDescription}", ["compiler"] = "dotnet",
        ["platform"] = $"linux/{(RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64")}",
    };
}
