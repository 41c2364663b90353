using System.Text;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;

namespace Determinant.Master.Domain;

/// <summary>The rule for experiment and trial notes: at most <see cref="NotesLimits.MaxBytes"/> bytes of UTF-8.</summary>
internal static class Notes
{
    /// <summary>The notes to store (null for an empty string), or a 400 that names the field and the limit.</summary>
    public static string? Check(string notes)
    {
        var bytes = Encoding.UTF8.GetByteCount(notes);
        if (bytes > NotesLimits.MaxBytes)
            throw new BadRequestException($"notes: must be at most {NotesLimits.MaxBytes} bytes (64 KiB) of UTF-8, not {bytes}");
        return notes.Length == 0 ? null : notes;
    }
}
