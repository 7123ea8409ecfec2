using Gateway.Compliance.Policies;

namespace Gateway.Compliance.Tests.TestSupport;

/// <summary>
/// A small, valid policy folder named 'testing' written to a temp folder; tests replace parts of
/// <see cref="PolicyYaml"/> or the schemas to provoke exactly one kind of error.
/// </summary>
internal sealed class TestPolicyFolder : IDisposable
{
    public const string ValidPolicy = """
        name: testing
        version: "1.0.0"
        destinations:
          scoring:
            cluster: scoring
            purposes: [analytics]
        values:
          plan: [gold, silver, p0, p1, p2]
          topic: [implants, whitening, ok, a, x]
        fields:
          timestamp: { action: keep, class: date }
          context: drop
        identify:
          schema: schemas/identify.schema.json
          fields:
            traits.email: { action: drop, derive: [email_valid] }
            traits.plan: { action: keep, class: non-phi, values: plan }
            traits.address.postal_code: { action: generalize, method: zip3 }
            traits.address.state: { action: keep, class: non-phi, values: [IL, MA] }
        track:
          Form Submitted:
            schema: schemas/form-submitted.schema.json
            fields:
              properties.topic: { action: keep, class: non-phi, values: topic }
              properties.notes: redact-text
              properties.tags.*: { action: keep, class: non-phi, values: [new, vip, t] }
              properties.items.*.sku: { action: keep, class: non-phi, values: [a1, b2] }
              properties.email: { action: hmac, normalize: email }
              properties.birthday: { action: drop, derive: [age_band] }
        """;

    public const string IdentifySchema = """
        {
          "type": "object",
          "properties": {
            "type": { "enum": ["identify"] },
            "messageId": { "type": "string" },
            "userId": { "type": ["string", "number"] },
            "anonymousId": { "type": ["string", "number"] },
            "timestamp": { "type": "string" },
            "context": { "type": "object" },
            "traits": {
              "type": "object",
              "properties": {
                "email": { "type": "string" },
                "plan": { "type": "string" },
                "address": { "type": "object", "properties": { "postal_code": { "type": "string" }, "state": { "type": "string" } } }
              }
            }
          }
        }
        """;

    public const string FormSchema = """
        {
          "type": "object",
          "required": ["event", "properties"],
          "properties": {
            "type": { "enum": ["track"] },
            "event": { "enum": ["Form Submitted"] },
            "messageId": { "type": "string" },
            "userId": { "type": ["string", "number"] },
            "anonymousId": { "type": ["string", "number"] },
            "timestamp": { "type": "string" },
            "context": { "type": "object" },
            "properties": {
              "type": "object",
              "required": ["topic"],
              "properties": {
                "topic": { "type": "string", "pattern": "^[a-z_]+$" },
                "notes": { "type": "string" },
                "email": { "type": "string" },
                "birthday": { "type": "string" },
                "tags": { "type": "array", "items": { "type": "string" } },
                "items": { "type": "array", "items": { "type": "object", "properties": { "sku": { "type": "string" }, "price": { "type": "number" } } } },
                "meta": { "type": "object", "properties": { "source": { "type": "string" } } }
              }
            }
          }
        }
        """;

    private readonly TempDirectory _temp = new("testing");

    public TestPolicyFolder(string? policyYaml = null, string? formSchema = null, string? identifySchema = null)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "schemas"));
        File.WriteAllText(Path.Combine(Directory, "policy.yaml"), policyYaml ?? ValidPolicy);
        File.WriteAllText(Path.Combine(Directory, "schemas", "form-submitted.schema.json"), formSchema ?? FormSchema);
        File.WriteAllText(Path.Combine(Directory, "schemas", "identify.schema.json"), identifySchema ?? IdentifySchema);
    }

    public string Directory => _temp.Path;

    public static TestPolicyFolder With(string find, string replace)
    {
        Assert.Contains(find, ValidPolicy, StringComparison.Ordinal);
        return new TestPolicyFolder(ValidPolicy.Replace(find, replace, StringComparison.Ordinal));
    }

    public PolicyLoadResult Load() => new PolicyLoader().Load(Directory);

    public CompiledPolicy LoadValid()
    {
        var result = Load();
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Policy!;
    }

    public void Dispose() => _temp.Dispose();
}
