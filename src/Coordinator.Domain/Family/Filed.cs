namespace Coordinator.Domain.Family;

/// <summary>
/// The records filed under one name key in the family desk's indexes, with their profiles. Immutable like the desk,
/// and kept in chunks: filing one more copies one chunk and the list of chunks, not every record under the key (a common
/// given name files thousands), and reading them all is a walk through arrays, which a query does for thousands.
/// </summary>
public sealed class Filed
{
    public readonly record struct Record(string Id, Profile Profile);

    private const int ChunkSize = 256;

    public static readonly Filed Empty = new([], 0);

    /// <summary>Never written to once this is built: a new one shares the chunks it does not change.</summary>
    private readonly Record[][] _chunks;

    private Filed(Record[][] chunks, int count) => (_chunks, Count) = (chunks, count);

    public int Count { get; }

    /// <summary>The records by id: how two indexes are compared (the chunks hold them in the order they were filed).</summary>
    public IEnumerable<Record> ById => _chunks.SelectMany(c => c).OrderBy(r => r.Id, StringComparer.Ordinal);

    public static Filed Of(IReadOnlyCollection<Record> records) => records.Count == 0 ? Empty : new([.. records.Chunk(ChunkSize)], records.Count);

    /// <summary>With one more record: the desk files an id under a key once (it takes a record out before filing it again).</summary>
    public Filed With(Record record)
    {
        if (_chunks.Length == 0 || _chunks[^1].Length == ChunkSize) return new([.. _chunks, [record]], Count + 1);
        var chunks = (Record[][])_chunks.Clone();
        chunks[^1] = [.. _chunks[^1], record];
        return new(chunks, Count + 1);
    }

    public Filed Without(string id)
    {
        for (var c = 0; c < _chunks.Length; c++)
        {
            var at = Array.FindIndex(_chunks[c], r => r.Id == id);
            if (at < 0) continue;
            if (Count == 1) return Empty;
            Record[] rest = [.. _chunks[c][..at], .. _chunks[c][(at + 1)..]];
            return new(rest.Length == 0 ? [.. _chunks[..c], .. _chunks[(c + 1)..]] : [.. _chunks[..c], rest, .. _chunks[(c + 1)..]], Count - 1);
        }
        return this;
    }

    public Enumerator GetEnumerator() => new(_chunks);

    /// <summary>For foreach without allocating: a query walks thousands of records.</summary>
    public struct Enumerator(Record[][] chunks)
    {
        private int _chunk, _at = -1;

        public readonly Record Current => chunks[_chunk][_at];

        public bool MoveNext()
        {
            while (_chunk < chunks.Length)
            {
                if (++_at < chunks[_chunk].Length) return true;
                (_chunk, _at) = (_chunk + 1, -1);
            }
            return false;
        }
    }
}
