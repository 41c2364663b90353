using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Determinant.Master.Data;

/// <summary>Makes every SQLite connection wait for a lock instead of failing at once with SQLITE_BUSY.</summary>
internal sealed class SqliteBusyTimeoutInterceptor(int milliseconds) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {milliseconds}; PRAGMA foreign_keys = ON;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {milliseconds}; PRAGMA foreign_keys = ON;";
        command.ExecuteNonQuery();
    }
}
