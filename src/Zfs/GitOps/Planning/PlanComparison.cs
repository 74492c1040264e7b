using System.Security.Cryptography;
using System.Text;

namespace DPlaneOS.Zfs.GitOps.Planning;

/// <summary>
/// What a plan would do, as a comparable id. <see cref="Plan.Id"/> hashes every input, including
/// numbers that move on a busy system (a dataset's used bytes); a plan reviewed a moment ago is
/// still valid when the fresh plan would act on the same items with the same commands. Approvals
/// bind to this work id: they hold exactly as long as the work they approved stays the same.
/// </summary>
public static class PlanComparison
{
    /// <summary>SHA-256 (lower-case hex) of every non-NOP item's id, action, approval need and commands, in plan order.</summary>
    public static string WorkId(Plan plan)
    {
        var text = new StringBuilder();
        foreach (var item in plan.Items.Where(i => i.Action != PlanAction.Nop))
        {
            text.Append(item.Id).Append('\u001f').Append(item.Action).Append('\u001f').Append(item.RequiresApproval);
            foreach (var command in item.Commands) text.Append('\u001e').AppendJoin('\u001d', command);
            text.Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static bool SameWork(Plan reviewed, Plan fresh) => WorkId(reviewed) == WorkId(fresh);
}
