using Coordinator.Node.Access;

namespace Coordinator.Node.Live;

public static class StreamTicketEndpoints
{
    /// <summary>
    /// POST {stream}/ticket: a single-use ticket, valid 60 s, to open that stream as ?ticket=… (the token stays out of
    /// URLs). Asked with the same role the stream needs.
    /// </summary>
    public static IEndpointRouteBuilder MapStreamTickets(this IEndpointRouteBuilder app)
    {
        Map(app, StreamTickets.BoardStream, Roles.Read, "Live progress");
        Map(app, StreamTickets.FamilyStream, Roles.Family, "Family desk");
        return app;
    }

    private static void Map(IEndpointRouteBuilder app, string stream, string policy, string tag) =>
        app.MapPost($"{stream}/ticket", (HttpContext http, StreamTickets tickets) =>
        {
            var (ticket, expiresAt) = tickets.Issue(stream, http.User);
            return TypedResults.Ok(new StreamTicketView(ticket, expiresAt));
        })
            .WithSummary("Issues a single-use ticket that opens the stream in a browser, which cannot send a token")
            .WithDescription((stream == StreamTickets.FamilyStream
                    ? "A lead or the family desk, as GET /api/family/stream needs. "
                    : "Any signed-in role (lead, field, monitor, admin, familydesk), as GET /api/stream needs. ")
                + "The ticket opens that stream only, within 60 s, as ?ticket=… in place of the bearer token, and each call issues a new one. "
                + "It carries the token's claims, so the stream still ends when the token expires or is revoked.")
            .WithTags(tag)
            .RequireAuthorization(policy)
            .Produces<StreamTicketView>();
}
