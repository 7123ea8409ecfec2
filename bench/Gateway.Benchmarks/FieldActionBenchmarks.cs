using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Compliance.Detectors;
using Gateway.Compliance.Fixtures;
using Gateway.Compliance.Operators;
using Gateway.Compliance.Paths;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Text;
using Gateway.Testing;
using Gateway.Compliance.Pseudonyms;
using Newtonsoft.Json.Linq;

namespace Gateway.Benchmarks;

/// <summary>
/// One field action applied to one realistic value, per action kind (keep, drop, hmac, tokenize,
/// generalize, redact-text), plus free-text detection alone, against writing the value unchanged.
/// </summary>
[MemoryDiagnoser]
public class FieldActionBenchmarks
{
    private const string TypicalEmail = "eleanor.vasquez+smile@mail.example-dental.com";

    private static readonly System.Text.RegularExpressions.Regex s_emailReference = new(
        @"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,}$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.Compiled, TimeSpan.FromMilliseconds(100));

    /// <summary>Short free text as web forms send it.</summary>
    public const string ShortNotes = "My name is Jane Roe, call me at 617-555-0134 or jane.roe@example.com. MRN 4471123, lost a molar on 11/02/2026.";

    /// <summary>A long note (about 1.3 KB) with a few identifiers among ordinary prose.</summary>
    public const string LongNotes =
        "Patient reports intermittent pain on the lower left side for three weeks, worse with cold drinks and when chewing on that side. " +
        "Previous visit at another office in 2023; a crown on the lower molar may be failing and she would like a second opinion. " +
        "Prefers morning slots because of work, can be reached at 617-555-0199 after 5pm or by email at j.doe.family@example.org. " +
        "Spouse Michael Doe will drive; please call him at (617) 555-0142 if she is unavailable. She mentions anxiety about needles " +
        "and asks whether sedation is available, whether the office accepts payment plans, and whether weekend hours exist. " +
        "Referred by a friend who had implants placed last spring and was very happy with the result and the follow-up care. " +
        "Would like the appointment before 12/15/2026 if possible, otherwise any time in January works as long as it is early. " +
        "No known allergies besides penicillin. Takes a daily blood pressure medication. Asks that we not leave voicemails at work.";

    private static readonly byte[] s_identifier = "jane.roe@example.com"u8.ToArray();

    /// <summary>The dental policy's vocabulary, value sets and URL templates: what the text and URL actions check against.</summary>
    private static readonly PolicyAllowLists s_allowLists = new PolicyLoader().LoadOrThrow(RepoPaths.Policy("dental")).AllowLists;

    private readonly byte[] _secret = FixturePractice.Secret;
    private readonly ArrayBufferWriter<byte> _sink = new(16 * 1024);
    private readonly ScrubOutput _output = new();
    private readonly ScrubContext _context = new();
    private Utf8JsonWriter _writer = null!;
    private JsonDocument _values = null!;
    private FieldOperator _keep = null!;
    private FieldOperator _drop = null!;
    private FieldOperator _hmacEmail = null!;
    private FieldOperator _tokenize = null!;
    private FieldOperator _zip3 = null!;
    private FieldOperator _ageBand = null!;
    private FieldOperator _url = null!;
    private FieldOperator _redact = null!;
    private TextDetection _detection = null!;
    private PseudonymKey _key = null!;

    [GlobalSetup]
    public void Setup()
    {
        _writer = new Utf8JsonWriter(_sink, new JsonWriterOptions { SkipValidation = true });
        _context.Reset(FixturePractice.Create("dental"), new DateOnly(2026, 11, 22));
        _values = JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["service_line"] = "implants",
            ["first_name"] = "Jane",
            ["email"] = "Jane.Roe@Example.com",
            ["member_id"] = "DDP-004471123",
            ["zip"] = "02139",
            ["date_of_birth"] = "1971-04-09",
            ["url"] = "https://smile.example/book/patient/81723?email=jane.roe%40example.com#confirm",
            ["notes"] = ShortNotes,
            ["long_notes"] = LongNotes,
        }));
        var tokens = new DataProtectionTokens();
        _keep = Create("keep", null, tokens);
        _drop = Create("drop", null, tokens);
        _hmacEmail = Create("hmac", """{ "normalize": "email" }""", tokens);
        _tokenize = Create("tokenize", null, tokens);
        _zip3 = Create("generalize", """{ "method": "zip3" }""", tokens);
        _ageBand = Create("generalize", """{ "method": "age-band" }""", tokens);
        _url = Create("generalize", """{ "method": "url" }""", tokens);
        _redact = Create("redact-text", null, tokens);
        _detection = new TextDetection(TextDetectorRegistry.Default.All);
        _key = new PseudonymKey("bench", _secret, "bench-practice");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _values.Dispose();
        _key.Dispose();
        _writer.Dispose();
    }

    /// <summary>Writing the value unchanged: the floor under every action.</summary>
    [Benchmark(Baseline = true)]
    public int Copy()
    {
        Begin();
        _output.WriteElement(Value("service_line"));
        return End();
    }

    [Benchmark]
    public int Keep() => Apply(_keep, "service_line");

    [Benchmark]
    public int Drop() => Apply(_drop, "first_name");

    [Benchmark]
    public int HmacEmail() => Apply(_hmacEmail, "email");

    [Benchmark]
    public int Tokenize() => Apply(_tokenize, "member_id");

    [Benchmark]
    public int GeneralizeZip3() => Apply(_zip3, "zip");

    [Benchmark]
    public int GeneralizeAgeBand() => Apply(_ageBand, "date_of_birth");

    [Benchmark]
    public int GeneralizeUrl() => Apply(_url, "url");

    [Benchmark]
    public int RedactShortText() => Apply(_redact, "notes");

    [Benchmark]
    public int RedactLongText() => Apply(_redact, "long_notes");

    /// <summary>HMAC-SHA256 of a 20-byte identifier with the key's reused per-thread instance (what the gateway does).</summary>
    [Benchmark]
    public int HmacReusedInstance()
    {
        Span<byte> mac = stackalloc byte[32];
        _key.ComputeHmac(s_identifier, mac);
        return mac[0];
    }

    /// <summary>The same with the one-shot <see cref="HMACSHA256.HashData(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>.</summary>
    [Benchmark]
    public int HmacOneShot()
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_secret, s_identifier, mac);
        return mac[0];
    }

    /// <summary><c>email_valid</c> as the engine derives it: one pass over the address.</summary>
    [Benchmark]
    public bool EmailValidOnePass() => Gateway.Compliance.Derivation.EmailValidDeriver.IsValid(TypicalEmail);

    /// <summary>The regular expression <c>email_valid</c> used before (kept here and in its test as the reference).</summary>
    [Benchmark]
    public bool EmailValidRegex() => TypicalEmail.Length <= 254 && s_emailReference.IsMatch(TypicalEmail.Trim());

    /// <summary>Free-text detection alone (every built-in detector, no rewriting) on the long note.</summary>
    [Benchmark]
    public int DetectLongText() => _detection.Scan(LongNotes).Count;

    private int Apply(FieldOperator op, string field)
    {
        Begin();
        var outcome = op.Apply(Value(field), _output, _context);
        return End() + (int)outcome;
    }

    private void Begin()
    {
        _sink.ResetWrittenCount();
        _writer.Reset(_sink);
        _output.Reset(_writer);
        _output.PushArray(null);
        _output.PushValue(null);
    }

    private int End()
    {
        _output.Pop();
        _output.Pop();
        _writer.Flush();
        return _sink.WrittenCount;
    }

    private JsonElement Value(string name) => _values.RootElement.GetProperty(name);

    private static FieldOperator Create(string action, string? options, DataProtectionTokens tokens)
    {
        if (!FieldOperatorRegistry.Default.TryGet(action, out var factory))
        {
            throw new InvalidOperationException($"No operator '{action}'.");
        }

        var context = new OperatorBuildContext
        {
            Path = FieldPath.Parse("properties.value"),
            Detectors = TextDetectorRegistry.Default,
            Tokens = tokens,
            AllowLists = s_allowLists,
        };
        return factory.Create(new RuleOptions(options is null ? null : JObject.Parse(options)), context);
    }
}
