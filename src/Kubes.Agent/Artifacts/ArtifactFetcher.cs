using System.Security.Cryptography;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Artifacts;

/// <summary>
/// Gets an artifact from the first of its URLs (http, https or file) that serves the right bytes: each
/// download streams to a partial file while hashing, and a SHA-256 mismatch deletes it and moves on.
/// </summary>
public sealed class ArtifactFetcher(HttpClient http, ILogger<ArtifactFetcher> log)
{
    public async Task FetchAsync(Artifact artifact, string destination, CancellationToken cancellationToken)
    {
        if (artifact.Urls.Count == 0)
        {
            throw new ArtifactUnavailableException($"artifact {artifact.Name} {artifact.Version} has no URL in the role configuration");
        }

        if (artifact.Sha256.Length != 64 || !artifact.Sha256.All(Uri.IsHexDigit))
        {
            throw new ArtifactUnavailableException(
                $"artifact {artifact.Name} {artifact.Version} has no valid SHA-256 ('{artifact.Sha256}'): the agent installs nothing unverified");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        var partial = destination + ".partial";
        var failures = new List<string>();
        foreach (var url in artifact.Urls)
        {
            try
            {
                var actual = await DownloadAsync(url, partial, cancellationToken);
                if (!string.Equals(actual, artifact.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    File.Delete(partial);
                    failures.Add($"{url}: SHA-256 is {actual}, expected {artifact.Sha256.ToLowerInvariant()} (refused and deleted)");
                    log.LogWarning("Refused {Artifact} from {Url}: SHA-256 {Actual} is not {Expected}",
                        artifact.Name, url, actual, artifact.Sha256);
                    continue;
                }

                File.Move(partial, destination, overwrite: true);
                log.LogInformation("Fetched {Artifact} {Version} from {Url} (sha256 {Sha256})",
                    artifact.Name, artifact.Version, url, actual);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or UnauthorizedAccessException or NotSupportedException
                                          || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                File.Delete(partial);
                failures.Add($"{url}: {e.Message}");
                log.LogWarning("Could not fetch {Artifact} from {Url}: {Reason}", artifact.Name, url, e.Message);
            }
        }

        throw new ArtifactUnavailableException(
            $"no URL served artifact {artifact.Name} {artifact.Version} with SHA-256 {artifact.Sha256}: " +
            string.Join("; ", failures));
    }

    /// <summary>Streams one URL to a file and returns the SHA-256 of what arrived.</summary>
    private async Task<string> DownloadAsync(string url, string path, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new NotSupportedException($"'{url}' is not an absolute URL");
        }

        await using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Stream input;
        HttpResponseMessage? response = null;
        switch (uri.Scheme)
        {
            case "file":
                input = new FileStream(uri.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                break;
            case "http" or "https":
                response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                input = await response.Content.ReadAsStreamAsync(cancellationToken);
                break;
            default:
                throw new NotSupportedException($"URL scheme '{uri.Scheme}' is not one the agent fetches (http, https, file)");
        }

        using (response)
        await using (input)
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }

        await output.FlushAsync(cancellationToken);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

public sealed class ArtifactUnavailableException(string message) : Exception(message);
