using System.Runtime.InteropServices;
using System.Text.Json;

namespace Gateway.Compliance.Processing;

/// <summary>
/// Writes the scrubbed event. Containers and property names are opened lazily, only when a value is
/// actually written beneath them, so an object whose every field was dropped leaves no trace
/// (not even its name) in the forwarded event.
/// </summary>
public sealed class ScrubOutput
{
    private readonly List<Frame> _frames = [];
    private Utf8JsonWriter? _writer;
    private int _opened;

    private enum FrameKind : byte
    {
        Object,
        Array,
        Value,
    }

    internal Utf8JsonWriter Writer => _writer ?? throw new InvalidOperationException("ScrubOutput used before Reset.");

    internal void Reset(Utf8JsonWriter writer)
    {
        _writer = writer;
        _frames.Clear();
        _opened = 0;
    }

    internal void PushObject(JsonProperty? name) => _frames.Add(new Frame(name, FrameKind.Object));

    internal void PushArray(JsonProperty? name) => _frames.Add(new Frame(name, FrameKind.Array));

    internal void PushValue(JsonProperty? name) => _frames.Add(new Frame(name, FrameKind.Value));

    /// <summary>Opens a named object that holds gateway-made values (e.g. <c>derived</c>).</summary>
    internal void PushObject(JsonEncodedText name) => _frames.Add(new Frame(name));

    internal void Pop()
    {
        var index = _frames.Count - 1;
        var frame = _frames[index];
        _frames.RemoveAt(index);
        if (index < _opened)
        {
            _opened = index;
            if (frame.Kind == FrameKind.Object)
            {
                Writer.WriteEndObject();
            }
            else if (frame.Kind == FrameKind.Array)
            {
                Writer.WriteEndArray();
            }
        }
    }

    /// <summary>True once anything has been written under the current innermost container.</summary>
    internal bool IsOpen => _opened == _frames.Count;

    public void WriteString(ReadOnlySpan<char> value)
    {
        EnsureOpen();
        Writer.WriteStringValue(value);
    }

    public void WriteString(string value) => WriteString(value.AsSpan());

    public void WriteNumber(long value)
    {
        EnsureOpen();
        Writer.WriteNumberValue(value);
    }

    public void WriteBoolean(bool value)
    {
        EnsureOpen();
        Writer.WriteBooleanValue(value);
    }

    public void WriteNull()
    {
        EnsureOpen();
        Writer.WriteNullValue();
    }

    /// <summary>Writes a scalar element as it came.</summary>
    public void WriteElement(JsonElement value)
    {
        EnsureOpen();
        value.WriteTo(Writer);
    }

    internal void EnsureOpen()
    {
        var writer = Writer;
        for (var i = _opened; i < _frames.Count; i++)
        {
            var frame = _frames[i];
            if (frame.EncodedName is { } encoded)
            {
                writer.WritePropertyName(encoded);
            }
            else if (frame.Name is { } property)
            {
                WriteName(writer, property);
            }

            if (frame.Kind == FrameKind.Object)
            {
                writer.WriteStartObject();
            }
            else if (frame.Kind == FrameKind.Array)
            {
                writer.WriteStartArray();
            }
        }

        _opened = _frames.Count;
    }

    private static void WriteName(Utf8JsonWriter writer, JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            writer.WritePropertyName(property.Name);
        }
        else
        {
            writer.WritePropertyName(raw);
        }
    }

    private readonly struct Frame
    {
        public Frame(JsonProperty? name, FrameKind kind)
        {
            Name = name;
            Kind = kind;
            EncodedName = null;
        }

        public Frame(JsonEncodedText name)
        {
            Name = null;
            Kind = FrameKind.Object;
            EncodedName = name;
        }

        public JsonProperty? Name { get; }

        public JsonEncodedText? EncodedName { get; }

        public FrameKind Kind { get; }
    }
}
