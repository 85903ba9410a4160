using System.Globalization;
using System.Text;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Shared.Provisioning;

/// <summary>The plan as the admin reads it (and the golden files store it): every command exactly as it runs, with its check and input.</summary>
public static class PlanText
{
    public static string Render(Plan plan)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"# Plan for cluster '{plan.Cluster}': {plan.Steps.Count} steps, {plan.CibBatch.Count} in the CIB batch\n");
        if (plan.Blockers.Count > 0)
        {
            s.Append("\n## Blockers (fix before applying)\n");
            foreach (var b in plan.Blockers) s.Append($"- {b}\n");
        }
        if (plan.Warnings.Count > 0)
        {
            s.Append("\n## Warnings\n");
            foreach (var w in plan.Warnings) s.Append($"- {w}\n");
        }
        s.Append("\n## Steps\n");
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            s.Append(CultureInfo.InvariantCulture, $"\n### {i + 1}. {step.Id} [{step.Target}]\n{step.Description}\n");
            if (step.Warning is not null) s.Append($"warning: {step.Warning}\n");
            if (step.InstallsNodeHelper)
                s.Append($"before: the console uploads storageha-node to {NodeHelperFiles.Binary} and its agents to {NodeHelperFiles.AgentDirectory}/\n");
            s.Append($"$ {step.CommandLine}\n");
            if (step.Action is WaitForCluster wait)
                s.Append(CultureInfo.InvariantCulture, $"until: it shows {wait.Condition.Describe()} (read every {WaitForCluster.PollSeconds} s, at most {wait.TimeoutSeconds} s)\n");
            s.Append(step.InstallsNodeHelper ? "check: the installed files' SHA-256 equal the console's bundle\n"
                : step.Check is null ? "check: none (always runs; repeating it changes nothing)\n"
                : step.DoneWhen is { } condition ? $"check: {Commands.ShellCommand.Join(step.Check)} shows {condition}\n"
                : $"check: {Commands.ShellCommand.Join(step.Check)}\n");
            if (step.Input?.Secret is { } secret) s.Append($"stdin: secret '{secret}'\n");
            if (step.Input?.Text is { } text)
            {
                s.Append("stdin:\n");
                foreach (var line in text.TrimEnd('\n').Split('\n')) s.Append("| ").Append(line).Append('\n');
            }
        }
        return s.ToString();
    }
}
