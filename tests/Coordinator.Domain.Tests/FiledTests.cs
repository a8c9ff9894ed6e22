using Coordinator.Domain.Family;

namespace Coordinator.Domain.Tests;

/// <summary>The records under one name key: filed and taken out across chunk boundaries, the older versions untouched.</summary>
public class FiledTests
{
    private static readonly Profile Some = Profile.Of(new InquiryDetails("Mohammad Ahmad", [], null, null, null, null, null, null));

    private static List<string> Ids(Filed filed)
    {
        var ids = new List<string>();
        foreach (var record in filed) ids.Add(record.Id);
        return ids;
    }

    [Fact]
    public void Records_are_filed_and_taken_out_across_chunks_and_an_older_version_keeps_what_it_held()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => $"p-{i:D4}").ToList();
        var filed = ids.Aggregate(Filed.Empty, (f, id) => f.With(new(id, Some)));
        Assert.Equal(ids, Ids(filed));
        Assert.Equal(1000, filed.Count);
        Assert.Equal(ids, Ids(Filed.Of([.. ids.Select(id => new Filed.Record(id, Some))])));

        // The first of a chunk, one inside, the last of all, and one that is not there.
        var fewer = filed.Without("p-0256").Without("p-0500").Without("p-0999").Without("p-5000");
        Assert.Equal(ids.Except(["p-0256", "p-0500", "p-0999"]), Ids(fewer));
        Assert.Equal(997, fewer.Count);
        Assert.Equal(ids, Ids(filed)); // the desk published before still reads every record
        Assert.Equal(ids.Except(["p-0256", "p-0500", "p-0999"]).Append("p-1000"), Ids(fewer.With(new("p-1000", Some))));

        // A chunk emptied is dropped; the last record out leaves the empty index.
        var one = Filed.Empty.With(new("a", Some)).With(new("b", Some));
        Assert.Equal(["b"], Ids(one.Without("a")));
        Assert.Same(Filed.Empty, one.Without("a").Without("b"));
        Assert.Equal(["a", "b"], Filed.Empty.With(new("b", Some)).With(new("a", Some)).ById.Select(r => r.Id));
    }
}
