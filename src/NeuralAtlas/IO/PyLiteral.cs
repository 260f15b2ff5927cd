using System.Globalization;
using System.Text;

namespace NeuralAtlas.IO;

/// <summary>
/// Parses the small subset of Python literal syntax an npy header is written in: a dict of string keys whose
/// values are strings, True/False/None, integers, and tuples/lists of those. Errors carry the absolute byte offset.
/// </summary>
internal sealed class PyLiteral
{
    private readonly string _text;
    private readonly string _file;
    private readonly long _base;
    private int _pos;

    private PyLiteral(string text, string file, long baseOffset)
    {
        _text = text;
        _file = file;
        _base = baseOffset;
    }

    /// <summary>Parses a dict literal; <paramref name="baseOffset"/> is the header's offset in the file.</summary>
    public static Dictionary<string, (object? Value, long Offset)> ParseDict(string text, string file, long baseOffset)
    {
        var p = new PyLiteral(text, file, baseOffset);
        p.Skip();
        var d = p.Dict();
        p.Skip();
        if (p._pos != p._text.Length) throw p.Error("end of the header dict");
        return d;
    }

    private AtlasFormatException Error(string expected) => new(_file, _base + _pos, expected);

    private void Skip()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void Expect(char c, string what)
    {
        Skip();
        if (Peek() != c) throw Error(what);
        _pos++;
    }

    private Dictionary<string, (object? Value, long Offset)> Dict()
    {
        Expect('{', "'{' opening the npy header dict");
        var d = new Dictionary<string, (object?, long)>(StringComparer.Ordinal);
        while (true)
        {
            Skip();
            if (Peek() == '}') { _pos++; return d; }
            long keyAt = _base + _pos;
            if (Value() is not string key) throw new AtlasFormatException(_file, keyAt, "a quoted string key in the npy header dict");
            Expect(':', "':' after a dict key");
            Skip();
            long at = _base + _pos;
            object? v = Value();
            if (!d.TryAdd(key, (v, at))) throw new AtlasFormatException(_file, keyAt, $"each key once in the npy header dict ('{key}' repeats)");
            Skip();
            if (Peek() == ',') { _pos++; continue; }
            if (Peek() == '}') { _pos++; return d; }
            throw Error("',' or '}' in the npy header dict");
        }
    }

    private object? Value()
    {
        Skip();
        char c = Peek();
        if (c == '\'' || c == '"') return Str();
        if (c == '(' || c == '[') return Seq(c == '(' ? ')' : ']');
        if (c == '-' || char.IsAsciiDigit(c)) return Int();
        if (char.IsAsciiLetter(c))
        {
            int s = _pos;
            while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
            string w = _text[s.._pos];
            switch (w)
            {
                case "True": return true;
                case "False": return false;
                case "None": return null;
            }
            _pos = s;
            throw Error($"a Python literal (string, integer, True/False, tuple), not '{w}'");
        }
        if (c == '{') return Dict();
        throw Error("a Python literal (string, integer, True/False, tuple)");
    }

    private string Str()
    {
        char q = _text[_pos++];
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length) throw Error($"closing {q} of a string");
            char c = _text[_pos++];
            if (c == q) return sb.ToString();
            if (c == '\\')
            {
                if (_pos >= _text.Length) throw Error("an escaped character");
                sb.Append(_text[_pos++]);
                continue;
            }
            sb.Append(c);
        }
    }

    private long Int()
    {
        int s = _pos;
        if (Peek() == '-') _pos++;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
        // Python 2 era headers wrote shapes as (3L, 4L).
        string digits = _text[s.._pos];
        if (_pos < _text.Length && _text[_pos] == 'L') _pos++;
        if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
        {
            _pos = s;
            throw Error("an integer that fits in 64 bits");
        }
        return v;
    }

    private List<object?> Seq(char close)
    {
        _pos++;
        var items = new List<object?>();
        while (true)
        {
            Skip();
            if (Peek() == close) { _pos++; return items; }
            items.Add(Value());
            Skip();
            if (Peek() == ',') { _pos++; continue; }
            if (Peek() == close) { _pos++; return items; }
            throw Error($"',' or '{close}' in a tuple");
        }
    }
}
