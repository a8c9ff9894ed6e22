using Coordinator.Cluster.Views;
using Coordinator.Domain;

namespace Coordinator.Node.Http;

/// <summary>
/// A route that reads a projection answers 503 Unavailable with Retry-After until this node's projection has read
/// the journal as far as it reached at start: a stale or empty answer would look like a true one (an inquiry with
/// no candidates, a facility with nothing found), and the caller can retry here in a moment or on another node.
/// </summary>
public static class ProjectionGate
{
    public static RouteGroupBuilder RequireCurrent<TState>(this RouteGroupBuilder group, string projection) where TState : class =>
        group.AddEndpointFilter(Filter<TState>(projection));

    public static RouteHandlerBuilder RequireCurrent<TState>(this RouteHandlerBuilder route, string projection) where TState : class =>
        route.AddEndpointFilter(Filter<TState>(projection));

    /// <summary>Why a route is not answered yet; also for pages and services that read the projection outside a route group.</summary>
    public static Refusal NotCurrent(string projection) => new(RefusalCode.Unavailable,
        $"this node is still reading the journal for the {projection}: try again in a few seconds, or on another node");

    private static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> Filter<TState>(string projection)
        where TState : class => async (context, next) =>
    {
        if (context.HttpContext.RequestServices.GetRequiredService<Published<TState>>().IsCurrent) return await next(context);
        context.HttpContext.Response.Headers.RetryAfter = "2";
        return Problems.Of(NotCurrent(projection));
    };
}
