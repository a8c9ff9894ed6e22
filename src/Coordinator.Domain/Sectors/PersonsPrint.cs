using System.Collections.Immutable;
using System.Text;
using Coordinator.Domain.Family;

namespace Coordinator.Domain.Sectors;

/// <summary>
/// The persons of a report as its fingerprint spells them. Fingerprints are stored and compared with retries, so
/// this text never changes: a JSON array of every field, escaped as System.Text.Json's defaults escape it
/// (ASCII only; HTML-sensitive characters and controls as \uXXXX; a lone surrogate as \uFFFD).
/// </summary>
internal static class PersonsPrint
{
    public static string Of(ImmutableArray<PersonDetails> persons)
    {
        var b = new StringBuilder("[");
        foreach (var p in persons.IsDefault ? [] : persons)
        {
            if (b.Length > 1) b.Append(',');
            b.Append("{\"Name\":"); Text(b, p.Name);
            b.Append(",\"AltNames\":[");
            for (var i = 0; i < p.AltNames.Length; i++)
            {
                if (i > 0) b.Append(',');
                Text(b, p.AltNames[i]);
            }
            b.Append("],\"FatherName\":"); Text(b, p.FatherName);
            b.Append(",\"MotherName\":"); Text(b, p.MotherName);
            b.Append(",\"BirthYear\":").Append(p.BirthYear is { } year ? year.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null");
            b.Append(",\"Age\":").Append(p.Age is { } age ? age.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null");
            b.Append(",\"HomeTown\":"); Text(b, p.HomeTown);
            b.Append(",\"Condition\":"); Text(b, p.Condition);
            b.Append(",\"TakenTo\":"); Text(b, p.TakenTo);
            b.Append(",\"IsErased\":").Append(p.IsErased ? "true" : "false").Append('}');
        }
        return b.Append(']').ToString();
    }

    private static void Text(StringBuilder b, string? text)
    {
        if (text is null)
        {
            b.Append("null");
            return;
        }
        b.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\b': b.Append("\\b"); break;
                case '\t': b.Append("\\t"); break;
                case '\n': b.Append("\\n"); break;
                case '\f': b.Append("\\f"); break;
                case '\r': b.Append("\\r"); break;
                case '\\': b.Append("\\\\"); break;
                case >= ' ' and < '\u007f' and not ('"' or '&' or '\'' or '+' or '<' or '>' or '`'): b.Append(c); break;
                case var _ when char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]):
                    Escaped(b, c);
                    Escaped(b, text[++i]);
                    break;
                case var _ when char.IsSurrogate(c): Escaped(b, '\ufffd'); break;
                default: Escaped(b, c); break;
            }
        }
        b.Append('"');
    }

    private static void Escaped(StringBuilder b, char c) =>
        b.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
}
