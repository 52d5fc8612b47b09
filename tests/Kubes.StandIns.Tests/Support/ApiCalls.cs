using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Kubes.StandIns.Tests.Support;

/// <summary>Kubernetes REST calls to an apiserver through a client: the status code and the JSON answered.</summary>
public sealed class ApiCalls(HttpClient client, Uri server)
{
    public Task<(int Status, JsonObject Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(int Status, JsonObject Body)> PostAsync(string path, JsonObject body) => SendAsync(HttpMethod.Post, path, body);

    public Task<(int Status, JsonObject Body)> PutAsync(string path, JsonObject body) => SendAsync(HttpMethod.Put, path, body);

    public Task<(int Status, JsonObject Body)> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    /// <summary>Reads the object until <paramref name="until"/> holds for it (or 30 s pass): the object last read.</summary>
    public async Task<JsonObject> WaitAsync(string path, Func<JsonObject, bool> until, StandInProgram? program = null)
    {
        var last = (Status: 0, Body: new JsonObject());
        for (var attempt = 0; attempt < 60; attempt++)
        {
            last = await GetAsync(path);
            if (last.Status == 200 && until(last.Body)) return last.Body;
            if (program is { HasExited: true }) break;
            await Task.Delay(500);
        }

        throw new TimeoutException($"GET {path}: last answer {last.Status} {last.Body.ToJsonString()}\n{program?.Output}");
    }

    /// <summary>Server-side apply, as the Kubes agent sends it.</summary>
    public Task<(int Status, JsonObject Body)> ApplyAsync(string path, JsonObject body, string query = "?fieldManager=kubes&force=true") =>
        SendAsync(HttpMethod.Patch, path + query, body, "application/apply-patch+yaml");

    public async Task<(int Status, JsonObject Body)> SendAsync(HttpMethod method, string path, JsonObject? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(server, path));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text) as JsonObject ?? throw new InvalidOperationException($"{method} {path} answered {text}"));
    }
}
