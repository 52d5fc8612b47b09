using System.Diagnostics;

namespace Kubes.Controller.Local;

/// <summary>
/// For a process that launches instances but does not serve their metadata (<c>kubes up</c> while a
/// <c>kubes serve</c> runs): the serving process follows the registry, which already lists the instance, so
/// publishing means waiting until the instance's endpoint answers with the instance's own id. Withdrawing needs
/// nothing: the serving process stops serving an instance once the registry marks it terminated.
/// </summary>
public sealed class RemoteMetadataPublisher(HttpClient http, TimeSpan patience) : ILocalMetadataPublisher
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    public async Task PublishAsync(LocalInstance instance, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        string last = "no answer yet";
        while (waited.Elapsed < patience)
        {
            try
            {
                var answer = await ReadInstanceIdAsync(instance.MetadataEndpoint, cancellationToken);
                if (answer == instance.InstanceId) return;
                last = $"it answers as {answer}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = "the request timed out";
            }
            await Task.Delay(Pause, cancellationToken);
        }
        throw new LocalProviderException(
            $"No process served the metadata of instance {instance.InstanceId} at {instance.MetadataEndpoint} within " +
            $"{patience.TotalSeconds:0} s ({last}). Run 'kubes serve' for this cluster (it serves every local instance's " +
            "metadata), then run the command again.");
    }

    public Task WithdrawAsync(LocalInstance instance, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<string> ReadInstanceIdAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Put, new Uri(endpoint, "latest/api/token"));
        tokenRequest.Headers.Add(InstanceMetadataHeaders.Ttl, "60");
        using var tokenResponse = await http.SendAsync(tokenRequest, cancellationToken);
        tokenResponse.EnsureSuccessStatusCode();
        var token = await tokenResponse.Content.ReadAsStringAsync(cancellationToken);

        using var idRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, "latest/meta-data/instance-id"));
        idRequest.Headers.Add(InstanceMetadataHeaders.Token, token);
        using var idResponse = await http.SendAsync(idRequest, cancellationToken);
        idResponse.EnsureSuccessStatusCode();
        return (await idResponse.Content.ReadAsStringAsync(cancellationToken)).Trim();
    }
}
