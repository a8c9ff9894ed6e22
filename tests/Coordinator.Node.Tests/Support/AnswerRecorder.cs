using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Coordinator.Node.Tests.Support;

/// <summary>
/// Keeps every answer its clients receive, one JSON line each, as tests/contract/client/record.ts keeps the TypeScript client's:
/// the method, the path asked (validate.mjs finds the operation from the document's paths), the status, the content type and
/// the body (read as JSON when it is, as text otherwise). The body is buffered, so the client still reads it.
/// </summary>
public sealed class AnswerRecorder : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("coord-answers-").FullName;
    private readonly Lock _writing = new();

    /// <summary>The JSON-lines file the answers are kept in.</summary>
    public string File => Path.Combine(_folder, "answers.jsonl");

    /// <summary>A client of the node at this address with this bearer token (none: anonymous) whose answers are kept.</summary>
    public HttpClient Client(Uri server, string? token)
    {
        var http = new HttpClient(new Recording(this)) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private async Task KeepAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken ct)
    {
        var media = response.Content.Headers.ContentType?.MediaType;
        var answer = new JsonObject
        {
            ["client"] = "csharp",
            ["method"] = request.Method.Method,
            ["path"] = request.RequestUri!.AbsolutePath,
            ["status"] = (int)response.StatusCode,
            ["contentType"] = media,
        };
        if (media != "text/event-stream")
        {
            await response.Content.LoadIntoBufferAsync(ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (Regex.IsMatch(media ?? "", @"^application/([a-z0-9.+-]+\+)?json$"))
                try { answer["body"] = JsonNode.Parse(text); }
                catch (JsonException) { answer["text"] = text; }
            else answer["text"] = text;
        }
        lock (_writing) System.IO.File.AppendAllText(File, answer.ToJsonString() + "\n");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class Recording(AnswerRecorder recorder) : DelegatingHandler(new HttpClientHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            await recorder.KeepAsync(request, response, cancellationToken);
            return response;
        }
    }
}
