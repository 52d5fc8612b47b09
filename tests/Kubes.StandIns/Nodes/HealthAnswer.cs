using Microsoft.AspNetCore.Http;

namespace Kubes.StandIns.Nodes;

/// <summary>A /healthz answer: "ok", or 500 with each failing check, as Kubernetes components word them.</summary>
public static class HealthAnswer
{
    public static Task WriteAsync(HttpContext context, IReadOnlyDictionary<string, string?> problems)
    {
        if (context.Request.Path.Value is not ("/healthz" or "/livez" or "/readyz"))
            return SecureServer.WriteStatusAsync(context, 404, "NotFound", "the server could not find the requested resource");
        var failing = problems.Where(p => p.Value is not null).ToList();
        context.Response.StatusCode = failing.Count == 0 ? 200 : 500;
        return context.Response.WriteAsync(failing.Count == 0
            ? "ok"
            : string.Concat(failing.Select(p => $"[-]{p.Key} failed: {p.Value}\n")) + "healthz check failed\n");
    }
}
