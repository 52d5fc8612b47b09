using System.Security.Cryptography;

namespace Kubes.Controller.Artifacts;

/// <summary>A file that could not be read from where it is published; the message says why, in one line.</summary>
public sealed class ArtifactFetchException(Uri url, string reason)
    : Exception($"could not read {url} ({reason})")
{
    public Uri Url { get; } = url;
}

/// <summary>
/// Reads checksum files and artifacts over HTTPS only, trusting the system's certificate store (on Linux that is
/// OpenSSL's: <c>SSL_CERT_FILE</c> and <c>SSL_CERT_DIR</c> replace its default file and folder).
/// </summary>
public sealed class HttpsArtifactSource(HttpClient http)
{
    public const int MaxChecksumFileBytes = 1 << 20;
    public const long MaxArtifactBytes = 1L << 30;
    public static readonly TimeSpan ChecksumTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ArtifactTimeout = TimeSpan.FromMinutes(15);

    /// <summary>The client kubes uses: redirects followed (GitHub's downloads redirect), never from https to http.</summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(15),
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 5,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<string> ReadTextAsync(Uri url, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await GetAsync(url, body, MaxChecksumFileBytes, ChecksumTimeout, cancellationToken);
        return System.Text.Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length);
    }

    /// <summary>The file's bytes and their SHA-256.</summary>
    public async Task<(byte[] Content, string Sha256)> DownloadAsync(Uri url, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await GetAsync(url, body, MaxArtifactBytes, ArtifactTimeout, cancellationToken);
        var content = body.ToArray();
        return (content, Convert.ToHexStringLower(SHA256.HashData(content)));
    }

    private async Task GetAsync(Uri url, Stream destination, long maxBytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (url.Scheme != Uri.UriSchemeHttps) throw new ArtifactFetchException(url, "only https URLs are read");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
                throw new ArtifactFetchException(url, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            if (response.RequestMessage?.RequestUri is { } final && final.Scheme != Uri.UriSchemeHttps)
                throw new ArtifactFetchException(url, $"redirected to {final}, which is not https");
            if (response.Content.Headers.ContentLength > maxBytes)
                throw new ArtifactFetchException(url, $"{response.Content.Headers.ContentLength} bytes, more than the {maxBytes} allowed");
            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            var buffer = new byte[1 << 16];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, deadline.Token)) > 0)
            {
                total += read;
                if (total > maxBytes) throw new ArtifactFetchException(url, $"more than the {maxBytes} bytes allowed");
                await destination.WriteAsync(buffer.AsMemory(0, read), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ArtifactFetchException(url, $"no complete answer within {timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            throw new ArtifactFetchException(url, Describe(e));
        }
    }

    /// <summary>The messages of the exception's chain (a TLS failure's reason is in the inner one), in one line.</summary>
    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            var message = current.Message.Replace("see inner exception", "", StringComparison.OrdinalIgnoreCase)
                .ReplaceLineEndings(" ").Trim().TrimEnd('.', ',', ' ');
            if (message.Length > 0 && !messages.Any(m => m.Contains(message, StringComparison.Ordinal))) messages.Add(message);
        }
        return string.Join(": ", messages);
    }
}
