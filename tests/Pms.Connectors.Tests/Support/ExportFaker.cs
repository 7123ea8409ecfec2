using System.Globalization;
using System.Text;
using Bogus;
using Pms.Connectors.Exports;

namespace Pms.Connectors.Tests.Support;

/// <summary>
/// Sample Dentrix and Eaglesoft exports generated with Bogus (never real data): rows of fields written under the
/// shipped mapping's column names, dates in its first format, quoted as RFC 4180 says when needed.
/// </summary>
internal static class ExportFaker
{
    public static ExportMapping Mapping(string name) => ExportMapping.Shipped().Single(m => m.Name == name);

    /// <summary>Recall rows: overdue by 1-30 months, a fifth of them already scheduled.</summary>
    public static List<Dictionary<string, string>> Recalls(ExportMapping mapping, int count, DateOnly today, int seed = 18)
    {
        var faker = new Faker("en") { Random = new Randomizer(seed) };
        var types = mapping.System == "dentrix" ? new[] { "Prophy", "Perio", "Child Prophy", "4BW" } : ["Prophy 6 Mo", "Perio 3 Mo", "BWX"];
        var rows = new List<Dictionary<string, string>>();
        for (var i = 0; i < count; i++)
        {
            var due = today.AddDays(-faker.Random.Int(30, 900));
            var row = Patient(faker, mapping, 70000 + i);
            row["recall_type"] = faker.PickRandom(types);
            row["due_date"] = Date(mapping, due);
            row["last_visit"] = Date(mapping, due.AddMonths(-6));
            row["scheduled_date"] = i % 5 == 4 ? Date(mapping, today.AddDays(faker.Random.Int(3, 40))) : string.Empty;
            row["location"] = faker.PickRandom("Back Bay", "Loop");
            row["insurance_status"] = mapping.System == "dentrix" ? faker.PickRandom("In Network", "Out of Network", "Self Pay") : faker.PickRandom("PPO In Network", "None");
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Appointment rows: booked, completed and broken.</summary>
    public static List<Dictionary<string, string>> Appointments(ExportMapping mapping, int count, DateOnly today, int seed = 19)
    {
        var faker = new Faker("en") { Random = new Randomizer(seed) };
        var statuses = mapping.System == "dentrix" ? new[] { "Scheduled", "Complete", "Broken" } : ["Scheduled", "Checked Out", "No Show"];
        var services = mapping.System == "dentrix" ? new[] { "Prophy", "Crown", "Perio Maint" } : ["Hygiene", "Restorative", "Perio Maint"];
        var rows = new List<Dictionary<string, string>>();
        for (var i = 0; i < count; i++)
        {
            var row = Patient(faker, mapping, 70000 + i);
            row["appointment_id"] = (900000 + i).ToString(CultureInfo.InvariantCulture);
            row["appointment_date"] = Date(mapping, today.AddDays(faker.Random.Int(-20, 40)));
            row["appointment_time"] = faker.PickRandom("8:00 AM", "10:30 AM", "2:15 PM");
            row["status"] = faker.PickRandom(statuses);
            row["service"] = faker.PickRandom(services);
            row["location"] = "Back Bay";
            row["new_patient"] = "N";
            rows.Add(row);
        }

        return rows;
    }

    public static string Write(string directory, string fileName, ExportMapping mapping, IEnumerable<Dictionary<string, string>> rows)
    {
        var fields = mapping.Columns.Keys.ToList();
        var text = new StringBuilder();
        text.Append(string.Join(',', fields.Select(f => Quote(mapping.Columns[f])))).Append("\r\n");
        foreach (var row in rows)
        {
            text.Append(string.Join(',', fields.Select(f => Quote(row.GetValueOrDefault(f, string.Empty))))).Append("\r\n");
        }

        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        return path;
    }

    public static string Date(ExportMapping mapping, DateOnly date) => date.ToString(mapping.DateFormats[0], CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Patient(Faker faker, ExportMapping mapping, int number)
    {
        var first = faker.Name.FirstName();
        var last = faker.Name.LastName();
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["patient_id"] = (mapping.System == "dentrix" ? "DX" : "ES") + number.ToString(CultureInfo.InvariantCulture),
            ["first_name"] = first,
            ["last_name"] = last,
            ["email"] = faker.Internet.Email(first, last, "example.org"),
            ["phone"] = faker.Phone.PhoneNumber("(###) 555-####"),
            ["birth_date"] = Date(mapping, DateOnly.FromDateTime(faker.Date.Past(60, new DateTime(2005, 1, 1)))),
            ["zip"] = faker.PickRandom("02139", "02116", "60610"),
        };
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
