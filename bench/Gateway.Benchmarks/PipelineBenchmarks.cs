using System.Buffers;
using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Schemas;

namespace Gateway.Benchmarks;

/// <summary>
/// The per-event stages of the gateway's hot path on each vertical's <see cref="EventCorpus"/>, against a
/// parse + serialize baseline: each benchmark processes the whole corpus and reports time per event.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private const int Events = EventCorpus.Size;
    private const string Instance = "gw-bench";

    private static readonly DateTimeOffset s_time = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private readonly ArrayBufferWriter<byte> _sink = new(64 * 1024);
    private readonly ScrubOutput _scrubOutput = new();
    private readonly ScrubContext _scrubContext = new();
    private EventCorpus _corpus = null!;
    private JsonDocument[] _documents = [];
    private EventResult[] _results = [];
    private IEventSchemaValidator[] _validators = [];
    private IEventSchemaValidator[] _njsonValidators = [];
    private EventProcessor _processor = null!;
    private EventProcessor _resultsProcessor = null!;
    private Utf8JsonWriter _writer = null!;
    private DestinationDecision[][] _decisions = [];
    private DestinationDecision[][] _typicalDecisions = [];

    [ParamsSource(nameof(VerticalNames))]
    public string Vertical { get; set; } = "dental";

    public static IEnumerable<string> VerticalNames => EventCorpus.Verticals;

    [GlobalSetup]
    public void Setup()
    {
        _corpus = EventCorpus.Load(Vertical);
        _documents = [.. _corpus.Events.Select(e => JsonDocument.Parse(e))];
        _processor = new EventProcessor();

        // The results' audit members live in this processor's buffers: it is never reset again.
        _resultsProcessor = new EventProcessor();
        _resultsProcessor.Reset(_corpus.Practice, _corpus.Today);
        _results = new EventResult[Events];
        for (var i = 0; i < Events; i++)
        {
            _results[i] = _resultsProcessor.Process(i, _documents[i].RootElement, null, _corpus.Policy);
            if (_results[i].Disposition != EventDisposition.Forward)
            {
                throw new InvalidOperationException($"{Vertical} corpus event {i} was not forwarded: {_results[i].Reason}.");
            }
        }

        _validators = [.. _results.Select(r => r.EventType!.Validator)];
        _njsonValidators = [.. _results.Select(r => (IEventSchemaValidator)new NJsonSchemaEventValidator(r.EventType!.Schema.Schema))];
        _decisions = [.. _results.Select(r => r.EventType!.Destinations.Select(d => DestinationDecision.Unconditional(d.Name)).ToArray())];
        _typicalDecisions = [.. _corpus.Typical.Select(DecisionsFor)];
        _writer = new Utf8JsonWriter(_sink, new JsonWriterOptions { SkipValidation = true });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// corpus {Vertical}: {Events} events, mean {_corpus.MeanBytes:F0} B; typical: {EventCorpus.TypicalSize} events, mean {_corpus.TypicalMeanBytes:F0} B"));
    }

    private DestinationDecision[] DecisionsFor(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        _processor.Reset(_corpus.Practice, _corpus.Today);
        var result = _processor.Process(0, document.RootElement, null, _corpus.Policy);
        if (result.Disposition != EventDisposition.Forward)
        {
            throw new InvalidOperationException($"{Vertical} typical event was not forwarded: {result.Reason}.");
        }

        return [.. result.EventType!.Destinations.Select(d => DestinationDecision.Unconditional(d.Name))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var document in _documents)
        {
            document.Dispose();
        }

        _writer.Dispose();
    }

    /// <summary>What any JSON proxy must do at least: parse the event and write it back.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public int ParseSerialize()
    {
        var total = 0;
        foreach (var bytes in _corpus.Events)
        {
            using var document = JsonDocument.Parse(bytes);
            total += Write(document.RootElement);
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public int Parse()
    {
        var total = 0;
        foreach (var bytes in _corpus.Events)
        {
            using var document = JsonDocument.Parse(bytes);
            total += (int)document.RootElement.ValueKind;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public int Serialize()
    {
        var total = 0;
        foreach (var document in _documents)
        {
            total += Write(document.RootElement);
        }

        return total;
    }

    /// <summary>Schema validation as the policy compiles it (the compiled validator where it applies).</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public int Validate() => CountValid(_validators);

    /// <summary>Schema validation with NJsonSchema itself (re-parses into a JToken): the reference.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public int ValidateNJsonSchema() => CountValid(_njsonValidators);

    /// <summary>The scrubber alone (rule trie walk, every field action, output writing), no validation or audit.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public long Scrub()
    {
        _scrubContext.Reset(_corpus.Practice, _corpus.Today);
        long total = 0;
        for (var i = 0; i < Events; i++)
        {
            _sink.ResetWrittenCount();
            _writer.Reset(_sink);
            _scrubOutput.Reset(_writer);
            EventScrubber.Scrub(_documents[i].RootElement, _results[i].EventType!, _scrubContext, _scrubOutput, _results[i].MessageId!, (DataClasses)~0);
            _writer.Flush();
            total += _sink.WrittenCount;
        }

        return total;
    }

    /// <summary>The audit record: the event decision body formatted, then chained (SHA-256) into a line.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public long AuditRecord()
    {
        _sink.ResetWrittenCount();
        var head = AuditChainState.Genesis;
        for (var i = 0; i < Events; i++)
        {
            var body = EventAuditFormatter.Format(_results[i], _corpus.Practice, _corpus.Policy, "forward", null, _decisions[i]);
            head = AuditRecordEncoder.Append(_sink, body, head, s_time, Instance);
        }

        return head.Count;
    }

    /// <summary>
    /// The whole per-event pipeline: parse, envelope and pseudonymous ids, validate, scrub, serialize, field
    /// audit, then the chained audit record.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public long Pipeline() => RunPipeline(_corpus.Events, _decisions);

    /// <summary>The whole per-event pipeline on <see cref="EventCorpus.Typical"/> events (about 1 KB, no free-text note).</summary>
    [Benchmark(OperationsPerInvoke = EventCorpus.TypicalSize)]
    public long PipelineTypical() => RunPipeline(_corpus.Typical, _typicalDecisions);

    private int CountValid(IEventSchemaValidator[] validators)
    {
        var violations = new List<SchemaViolation>();
        var valid = 0;
        for (var i = 0; i < Events; i++)
        {
            valid += validators[i].Validate(_documents[i].RootElement, violations) ? 1 : 0;
        }

        return valid;
    }

    private long RunPipeline(IReadOnlyList<byte[]> events, DestinationDecision[][] decisions)
    {
        _sink.ResetWrittenCount();
        _processor.Reset(_corpus.Practice, _corpus.Today);
        var head = AuditChainState.Genesis;
        for (var i = 0; i < events.Count; i++)
        {
            using var document = JsonDocument.Parse(events[i]);
            var result = _processor.Process(i, document.RootElement, null, _corpus.Policy);
            var body = EventAuditFormatter.Format(result, _corpus.Practice, _corpus.Policy, "forward", null, decisions[i]);
            head = AuditRecordEncoder.Append(_sink, body, head, s_time, Instance);
        }

        return head.Count + _processor.Written.Length;
    }

    private int Write(JsonElement element)
    {
        _sink.ResetWrittenCount();
        _writer.Reset(_sink);
        element.WriteTo(_writer);
        _writer.Flush();
        return _sink.WrittenCount;
    }
}
