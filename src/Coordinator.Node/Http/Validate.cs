using Coordinator.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordinator.Node.Http;

/// <summary>Checks at the edge that the domain would otherwise meet as nulls: ids and required fields.</summary>
public static class Validate
{
    public static ProblemHttpResult? Id(string what, string? id) => Ids.IsValid(id) ? null : Problems.InvalidId(what, id);

    public static ProblemHttpResult? Required(string field, object? value) =>
        value is null || value is string s && string.IsNullOrWhiteSpace(s) ? Problems.Invalid($"'{field}' is required") : null;

    /// <summary>Which page of <paramref name="list"/> the query asks for, or the problem with its cursor or limit.</summary>
    public static (PageRequest? Request, ProblemHttpResult? Problem) Page(string list, string? cursor, int? limit)
    {
        var (request, refused) = Paging.Read(list, cursor, limit);
        return (request, refused is null ? null : Problems.Of(refused));
    }

    /// <summary>A printed page's language: one the pages are written in, or none for English.</summary>
    public static ProblemHttpResult? Language(string? lang) =>
        lang is null || PageText.Languages.Contains(lang) ? null : Problems.Invalid($"'lang' must be {string.Join(" or ", PageText.Languages)}");

    /// <summary>The first problem among the checks, if any.</summary>
    public static ProblemHttpResult? First(params ProblemHttpResult?[] checks) => checks.FirstOrDefault(c => c is not null);
}
