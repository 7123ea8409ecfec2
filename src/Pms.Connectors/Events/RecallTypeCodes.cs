namespace Pms.Connectors.Events;

/// <summary>
/// The policy's recall type codes from a PMS's recall type description (Open Dental's defaults are Prophy, Child
/// Prophy, Perio, Exam, 4BW, Pano, FMX, Fluoride; exports use the practice's own names). Unknown names are <c>other</c>.
/// </summary>
public static class RecallTypeCodes
{
    public static string FromDescription(string? description)
    {
        var d = (description ?? string.Empty).Trim().ToLowerInvariant().Replace('-', ' ').Replace('_', ' ');
        return d switch
        {
            "prophy" or "prophylaxis" or "adult prophy" or "cleaning" or "recall" or "hygiene" or "pro" => "prophy",
            "child prophy" or "childprophy" or "child cleaning" or "pedo prophy" => "child_prophy",
            "perio" or "perio maint" or "perio maintenance" or "periodontal maintenance" or "perio recall" => "perio_maintenance",
            "exam" or "periodic exam" or "comp exam" => "exam",
            "4bw" or "bw" or "bwx" or "bitewing" or "bitewings" => "bitewings",
            "fmx" or "full mouth x rays" or "full mouth xrays" => "full_mouth_xrays",
            "pano" or "panoramic" or "panorex" => "panoramic",
            "fluoride" or "fl" => "fluoride",
            _ => "other",
        };
    }
}
