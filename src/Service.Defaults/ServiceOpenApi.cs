using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scalar.AspNetCore;

namespace Service.Defaults;

/// <summary>
/// An OpenAPI document per API surface (Microsoft.AspNetCore.OpenApi), served at <c>/openapi/{name}.json</c>,
/// and in Development a browsable reference (Scalar) at <c>/scalar/{name}</c>.
/// </summary>
public static class ServiceOpenApi
{
    public static IServiceCollection AddServiceOpenApi(this IServiceCollection services, string documentName, Func<ApiDescription, bool>? include = null)
    {
        services.AddOpenApi(documentName, options =>
        {
            if (include is not null)
            {
                options.ShouldInclude = include;
            }
        });
        return services;
    }

    /// <param name="port">When set, the document and the browsable reference answer only on that port.</param>
    public static IEndpointRouteBuilder MapServiceOpenApi(this WebApplication app, int? port = null)
    {
        var document = app.MapOpenApi("/openapi/{documentName}.json");
        if (port is { } p)
        {
            document.RequireHost($"*:{p}");
        }

        if (app.Environment.IsDevelopment())
        {
            var reference = app.MapScalarApiReference();
            if (port is { } q)
            {
                reference.RequireHost($"*:{q}");
            }
        }

        return app;
    }
}
