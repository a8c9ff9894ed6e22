using System.Security.Claims;
using Coordinator.Domain;

namespace Coordinator.Node.Http;

/// <summary>Who is asking, for the events' By: the authenticated subject and the client's address.</summary>
public static class Caller
{
    public static Author Of(HttpRequest http) =>
        new($"{http.HttpContext.User.FindFirstValue("sub") ?? "anonymous"}@{http.HttpContext.Connection.RemoteIpAddress}");
}
