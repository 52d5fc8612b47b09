using Grpc.Core;
using Kubes.Controller.Registrar;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Kubes.Controller.Channels.Grpc;

/// <summary>
/// Logs every gRPC call that ends in a refusal the registrar did not log itself (a malformed or oversized message, a
/// channel this cluster does not use, a watcher without the admin certificate, an unknown method), through the
/// rate-limited <see cref="RefusalLog"/>: one short line with the peer, the status and the reason.
/// </summary>
internal sealed class RefusalLogging(RequestDelegate next, RefusalLog refusals)
{
    /// <summary>Set on a call the registrar has already logged.</summary>
    public const string LoggedItem = "kubes.refusal-logged";

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.Items.ContainsKey(LoggedItem) || StatusOf(context) is not { } status) return;
        if (status.StatusCode is StatusCode.OK or StatusCode.Cancelled) return;
        refusals.Refused(context.Connection.RemoteIpAddress?.ToString() ?? "an unknown address", context.Request.Path.Value ?? "/",
            status.StatusCode, status.Detail);
    }

    /// <summary>The call's gRPC status: in the trailers, or in the headers of a trailers-only answer.</summary>
    private static global::Grpc.Core.Status? StatusOf(HttpContext context)
    {
        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        string? code = trailers?["grpc-status"];
        string? message = trailers?["grpc-message"];
        if (string.IsNullOrEmpty(code))
        {
            code = context.Response.Headers["grpc-status"];
            message = context.Response.Headers["grpc-message"];
        }
        if (!int.TryParse(code, out var value)) return null;
        return new global::Grpc.Core.Status((StatusCode)value, Uri.UnescapeDataString(message ?? ""));
    }
}
