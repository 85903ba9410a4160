using Microsoft.AspNetCore.Diagnostics;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Api;

/// <summary>Turns the console's exceptions into problem-details responses that say what was wrong, by field.</summary>
public sealed class ProblemMapping(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title, errors) = exception switch
        {
            InvalidInputException e => (400, "The request has invalid fields.", Group(e.Errors)),
            ConflictException e => (409, e.Message, Group([new ValidationError(e.Field, e.Message)])),
            KeyNotFoundException e => (404, e.Message, null),
            UnauthorizedAccessException e => (403, e.Message, null),
            BadHttpRequestException { StatusCode: 413 } => (413, $"The request body is larger than the console takes ({ApiJson.MaxBodyBytes / (1024 * 1024)} MB).", null),
            BadHttpRequestException e => (e.StatusCode, "The request could not be read.", e.StatusCode == 400 ? Group([ApiJson.Explain(e)]) : null),
            // Not the node's fault: an admin has to confirm where the credential may go.
            CredentialNotConfirmedException e => (409, e.Message, Group([new ValidationError("credentialId", e.Message)])),
            // The node, not the request, is at fault: the message says which node and what happened.
            NodeSshException e => (502, e.Message, null),
            _ => (0, null, null),
        };
        if (status == 0) return false;
        context.Response.StatusCode = status;
        var details = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title };
        if (errors is not null) details.Extensions["errors"] = errors;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details, Exception = exception });
    }

    private static Dictionary<string, string[]> Group(IEnumerable<ValidationError> errors) =>
        errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
}
