using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace StorageHa.Server.Api;

/// <summary>Examples in the OpenAPI document (/openapi/v1.json), so a script writer sees a real body beside each schema.</summary>
public static class ApiDocs
{
    /// <summary>Enums as the strings the API reads and writes (its own converter, which the document cannot see into).</summary>
    public static void DescribeEnumsByName(OpenApiOptions options) => options.AddSchemaTransformer((schema, context, _) =>
    {
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsEnum)
        {
            schema.Type = underlying == type ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Enum = [.. Enum.GetNames(underlying).Select(n => (JsonNode)n)];
        }
        return Task.CompletedTask;
    });

    /// <summary>Puts these JSON texts as the example of the request body and of the response with this status.</summary>
    public static RouteHandlerBuilder Example(this RouteHandlerBuilder route, string? request = null, string? response = null, int status = StatusCodes.Status200OK) =>
        route.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (request is not null)
                foreach (var media in operation.RequestBody?.Content?.Values ?? [])
                    media.Example = JsonNode.Parse(request);
            if (response is not null && operation.Responses?.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var answer) == true)
                foreach (var media in answer.Content?.Values ?? [])
                    media.Example = JsonNode.Parse(response);
            return Task.CompletedTask;
        });
}
