using System.Collections.Concurrent;
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
/// An instance metadata service, IMDSv2 with tokens required: <c>PUT /latest/api/token</c> with
/// <c>X-aws-ec2-metadata-token-ttl-seconds</c> (1..21600) returns a token; every GET must carry a valid one in
/// <c>X-aws-ec2-metadata-token</c> or gets 401. Which instance asks is decided by the connection, never by the request:
/// instances in network namespaces share one listener on their bridge and are told apart by source address, which
/// their namespace fixes. Tokens are per instance, so one instance's token is worthless to another.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class InstanceMetadataEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InstanceMetadataEndpoint(WebApplication app)
    {
        _app = app;
    }

    /// <summary>A listener for every instance <paramref name="instanceFrom"/> recognises by its source address (IPv4).</summary>
    /// <param name="credentialsOf">The instance profile credentials of an instance (null: it has no profile), as EC2
    /// serves each instance its own.</param>
    public static async Task<InstanceMetadataEndpoint> StartAsync(IPEndPoint listen,
        Func<IPAddress, CancellationToken, ValueTask<LocalInstance?>> instanceFrom,
        string serving, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken,
        Func<LocalInstance, CancellationToken, Task<InstanceProfileCredentials?>>? credentialsOf = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggers);
        builder.Services.AddLogging();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(listen);
        });
        var app = builder.Build();
        var tokens = new ConcurrentDictionary<string, MetadataTokens>(StringComparer.Ordinal);
        app.Run(async context =>
        {
            if (context.Connection.RemoteIpAddress is not { } source
                || await instanceFrom(source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source, context.RequestAborted) is not { } instance)
            {
                await ReplyAsync(context, StatusCodes.Status403Forbidden, "");
                return;
            }
            var credentials = credentialsOf is null ? null : await credentialsOf(instance, context.RequestAborted);
            await AnswerAsync(context, instance, tokens.GetOrAdd(instance.InstanceId, _ => new MetadataTokens(time)), credentials, time);
        });
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new LocalProviderException(
                $"Cannot serve {serving} on {listen}: {e.Message}. Another process may already serve it (a kubes serve of " +
                "this cluster, or a local cluster with the same addresses): stop that one, or give this cluster another " +
                "spec.network.vpcCidr.", e);
        }
        return new InstanceMetadataEndpoint(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task AnswerAsync(HttpContext context, LocalInstance instance, MetadataTokens tokens,
        InstanceProfileCredentials? credentials, TimeProvider time)
    {
        var request = context.Request;
        // An endpoint setting with a trailing slash makes some clients (the AWS SDK's credential provider) ask for "//latest/…".
        var path = "/" + (request.Path.Value ?? "/").TrimStart('/');
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
            "/latest/meta-data/iam/security-credentials" or "/latest/meta-data/iam/security-credentials/" when credentials is not null =>
                ReplyAsync(context, StatusCodes.Status200OK, credentials.RoleName),
            "/latest/meta-data/iam/info" when credentials is not null =>
                ReplyAsync(context, StatusCodes.Status200OK, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["Code"] = "Success",
                    ["LastUpdated"] = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    ["InstanceProfileArn"] = credentials.InstanceProfileArn ?? $"arn:aws:iam::000000000000:instance-profile/{credentials.RoleName}",
                    ["InstanceProfileId"] = "AIPALOCALPROVIDER0000",
                })),
            _ when credentials is not null && path == $"/latest/meta-data/iam/security-credentials/{credentials.RoleName}" =>
                ReplyAsync(context, StatusCodes.Status200OK, CredentialsDocument(credentials, time)),
            _ => ReplyAsync(context, StatusCodes.Status404NotFound, ""),
        };
    }

    /// <summary>The document EC2's metadata service serves for an instance profile; the SDKs' credential chains read it.</summary>
    private static string CredentialsDocument(InstanceProfileCredentials credentials, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["Code"] = "Success",
            ["LastUpdated"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["Type"] = "AWS-HMAC",
            ["AccessKeyId"] = credentials.AccessKeyId,
            ["SecretAccessKey"] = credentials.SecretAccessKey,
            ["Token"] = credentials.Token,
            ["Expiration"] = (credentials.Expiration ?? now.AddHours(6)).ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        });
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
