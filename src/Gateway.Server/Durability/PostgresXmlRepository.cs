using System.Xml.Linq;
using Gateway.Storage.Postgres;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Gateway.Server.Durability;

/// <summary>
/// Data Protection's key repository on the shared PostgreSQL table, so every gateway instance uses one key
/// ring (with one application name): a token or quarantined event protected by one instance is readable by
/// all. What is stored is what Data Protection hands over: key XML already encrypted with the certificate
/// when <c>Gateway:DataProtection:CertificatePath</c> is set.
/// </summary>
internal sealed class PostgresXmlRepository(PostgresKeyStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => [.. store.ReadAll().Select(xml => XElement.Parse(xml))];

    public void StoreElement(XElement element, string friendlyName) => store.Add(friendlyName, element.ToString(SaveOptions.DisableFormatting));
}
