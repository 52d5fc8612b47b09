using System.Globalization;
using System.Net;
using System.Runtime.Versioning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Local;

/// <summary>
/// One instance's metadata service, IMDSv2 with tokens required: <c>PUT /latest/api/token</c> with
/// <c>X-aws-ec2-metadata-token-ttl-seconds</c> (1..21600) returns a token; every GET must carry a valid one in
/// <c>X-aws-ec2-metadata-token</c> or gets 401. It listens on the instance's own address, so an instance reaches its
/// own metadata and only its own, as at 169.254.169.254.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class InstanceMetadataEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InstanceMetadataEndpoint(LocalInstance instance, WebApplication app)
    {
        Instance = instance;
        _app = app;
    }

    public LocalInstance Instance { get; }

    public static async Task<InstanceMetadataEndpoint> StartAsync(LocalInstance instance, TimeProvider time, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var listen = new IPEndPoint(instance.Address, instance.MetadataEndpoint.Port);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggers);
        builder.Services.AddLogging();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(listen);
        });
        var app = builder.Build();
        var tokens = new MetadataTokens(time);
        app.Run(context => AnswerAsync(context, instance, tokens));
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new LocalProviderException(
                $"Cannot serve instance metadata for {instance.InstanceId} on {listen}: {e.Message}. Another process may already " +
                "serve it (a kubes serve of this cluster, or a local cluster with the same addresses): stop that one, or give " +
                "this cluster another spec.network.vpcCidr.", e);
        }
        return new InstanceMetadataEndpoint(instance, app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task AnswerAsync(HttpContext context, LocalInstance instance, MetadataTokens tokens)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (path == "/latest/api/token")
        {
            if (!HttpMethods.IsPut(request.Method)) return ReplyAsync(context, StatusCodes.Status405MethodNotAllowed, "");
            // Like AWS: a token request that went through a proxy is refused, so a forwarded one cannot leak a token.
            if (request.Headers.ContainsKey("X-Forwarded-For")) return ReplyAsync(context, StatusCodes.Status403Forbidden, "");
            if (!int.TryParse(request.Headers[InstanceMetadataHeaders.Ttl], NumberStyles.None, CultureInfo.InvariantCulture, out var ttl)
                || ttl is < MetadataTokens.MinTtlSeconds or > MetadataTokens.MaxTtlSeconds)
                return ReplyAsync(context, StatusCodes.Status400BadRequest, "");
            context.Response.Headers[InstanceMetadataHeaders.Ttl] = ttl.ToString(CultureInfo.InvariantCulture);
            return ReplyAsync(context, StatusCodes.Status200OK, tokens.Issue(ttl));
        }
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            return ReplyAsync(context, StatusCodes.Status405MethodNotAllowed, "");
        if (!tokens.IsValid(request.Headers[InstanceMetadataHeaders.Token].ToString()))
            return ReplyAsync(context, StatusCodes.Status401Unauthorized, "");
        return path switch
        {
            "/latest/meta-data/instance-id" => ReplyAsync(context, StatusCodes.Status200OK, instance.InstanceId),
            "/latest/meta-data/local-ipv4" => ReplyAsync(context, StatusCodes.Status200OK, instance.PrivateIp),
            "/latest/meta-data/placement/availability-zone" => ReplyAsync(context, StatusCodes.Status200OK, instance.Zone),
            "/latest/user-data" => ReplyUserDataAsync(context, instance),
            _ => ReplyAsync(context, StatusCodes.Status404NotFound, ""),
        };
    }

    private static async Task ReplyUserDataAsync(HttpContext context, LocalInstance instance)
    {
        byte[] userData;
        try
        {
            userData = await File.ReadAllBytesAsync(instance.UserDataPath, context.RequestAborted);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            await ReplyAsync(context, StatusCodes.Status404NotFound, "");
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = userData.Length;
        if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.Body.WriteAsync(userData, context.RequestAborted);
    }

    private static Task ReplyAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync(body, context.RequestAborted);
    }
}
