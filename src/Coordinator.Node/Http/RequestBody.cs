using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordinator.Node.Http;

/// <summary>Reads a JSON body with a size limit, turning every way it can be wrong into a problem, never an exception.</summary>
public static class RequestBody
{
    public const long SmallLimit = 64 * 1024;

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, long limit = SmallLimit) where T : class
    {
        if (request.ContentLength > limit) return (null, Problems.TooLarge(limit));
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            && !type.Contains("+json", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Problem(StatusCodes.Status415UnsupportedMediaType, ProblemCode.UnsupportedMediaType, "send application/json"));
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, ApiJson.Options, request.HttpContext.RequestAborted);
            return value is null ? (null, Problems.Invalid("the body must be a JSON object")) : (value, null);
        }
        catch (JsonException e) when (e.Message == NoNullsArray<string>.Message)
        {
            return (null, Problems.Invalid($"'{e.Path?.TrimStart('$', '.')}' {e.Message}"));
        }
        catch (JsonException e)
        {
            return (null, Problems.Invalid($"malformed JSON: {e.Message}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.TooLarge(limit));
        }
    }
}
