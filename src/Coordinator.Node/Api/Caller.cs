using Coordinator.Domain;

namespace Coordinator.Node.Api;

/// <summary>
/// Who is asking, for the events' By. Until authentication lands (the security issue) every request is
/// recorded as an unauthenticated lead with the client's address, so the record still says where it came from.
/// </summary>
public static class Caller
{
    public static Author Of(HttpRequest http) => new($"lead:unauthenticated@{http.HttpContext.Connection.RemoteIpAddress}");

    public static Author Team(HttpRequest http, string team) => new($"team:{team}@{http.HttpContext.Connection.RemoteIpAddress}");
}
