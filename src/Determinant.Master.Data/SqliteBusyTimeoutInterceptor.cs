using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Determinant.Master.Data;

/// <summary>
/// Makes every SQLite connection wait for a lock instead of failing at once with SQLITE_BUSY, and read the file through a
/// memory map: reading many rows (a learning curve cut from 100 trials) then costs no system call per page, which halves
/// such a read. Only address space is reserved; the pages are the operating system's page cache.
/// </summary>
internal sealed class SqliteBusyTimeoutInterceptor(int milliseconds) : DbConnectionInterceptor
{
    private const long MmapBytes = 256L << 20;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {milliseconds}; PRAGMA foreign_keys = ON; PRAGMA mmap_size = {MmapBytes};";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {milliseconds}; PRAGMA foreign_keys = ON; PRAGMA mmap_size = {MmapBytes};";
        command.ExecuteNonQuery();
    }
}
