using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Determinant.Master.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Tasks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_allocations_trials_TrialId",
                table: "allocations");

            migrationBuilder.DropIndex(
                name: "IX_allocations_TrialId",
                table: "allocations");

            migrationBuilder.AddColumn<int>(
                name: "Slots",
                table: "allocations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "AgentGid",
                table: "users",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AgentUid",
                table: "users",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AgentUser",
                table: "users",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TaskId",
                table: "trials",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "TaskId",
                table: "auth_tokens",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProxyAddress",
                table: "allocations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Ready",
                table: "allocations",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ResourcePool",
                table: "allocations",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "tasks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    OwnerId = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    ConfigJson = table.Column<string>(type: "TEXT", nullable: true),
                    ResourcePool = table.Column<string>(type: "TEXT", nullable: false),
                    Slots = table.Column<int>(type: "INTEGER", nullable: false),
                    StartTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndTime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ExitStatus = table.Column<string>(type: "TEXT", nullable: true),
                    ServiceToken = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_tasks_users_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            // Every trial becomes a task of its own (REFERENCE.md §1: <experiment id>.<request id>, the id its allocations and
            // logs already carried); allocations take their slot count from their experiment's config.
            migrationBuilder.Sql("""
                INSERT INTO tasks (Id, Type, OwnerId, State, ResourcePool, Slots, StartTime, EndTime)
                SELECT t.ExperimentId || '.' || lower(t.RequestId), 'Trial', e.OwnerId,
                       CASE WHEN t.State IN ('Completed', 'Canceled', 'Error') THEN 'Terminated' ELSE 'Active' END,
                       coalesce(json_extract(e.ConfigJson, '$.resources.resource_pool'), ''),
                       coalesce(json_extract(e.ConfigJson, '$.resources.slots_per_trial'), 1), t.StartTime, t.EndTime
                FROM trials t JOIN experiments e ON e.Id = t.ExperimentId;
                UPDATE trials SET TaskId = ExperimentId || '.' || lower(RequestId);
                UPDATE allocations SET
                    Slots = coalesce((SELECT k.Slots FROM tasks k WHERE k.Id = allocations.TaskId), 0),
                    ResourcePool = coalesce((SELECT k.ResourcePool FROM tasks k WHERE k.Id = allocations.TaskId), '');
                """);

            migrationBuilder.DropColumn(
                name: "TrialId",
                table: "allocations");

            migrationBuilder.CreateIndex(
                name: "IX_trials_TaskId",
                table: "trials",
                column: "TaskId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_auth_tokens_TaskId",
                table: "auth_tokens",
                column: "TaskId");

            migrationBuilder.CreateIndex(
                name: "IX_allocations_TaskId_State",
                table: "allocations",
                columns: new[] { "TaskId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_OwnerId",
                table: "tasks",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_tasks_Type_State",
                table: "tasks",
                columns: new[] { "Type", "State" });

            migrationBuilder.AddForeignKey(
                name: "FK_allocations_tasks_TaskId",
                table: "allocations",
                column: "TaskId",
                principalTable: "tasks",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_trials_tasks_TaskId",
                table: "trials",
                column: "TaskId",
                principalTable: "tasks",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            // Usernames are unique regardless of case (the model's index on Username is case-sensitive).
            migrationBuilder.Sql("""CREATE UNIQUE INDEX "IX_users_Username_lower" ON users (lower(Username));""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_users_Username_lower";""");

            migrationBuilder.DropForeignKey(
                name: "FK_allocations_tasks_TaskId",
                table: "allocations");

            migrationBuilder.DropForeignKey(
                name: "FK_trials_tasks_TaskId",
                table: "trials");

            migrationBuilder.DropTable(
                name: "tasks");

            migrationBuilder.DropIndex(
                name: "IX_trials_TaskId",
                table: "trials");

            migrationBuilder.DropIndex(
                name: "IX_auth_tokens_TaskId",
                table: "auth_tokens");

            migrationBuilder.DropIndex(
                name: "IX_allocations_TaskId_State",
                table: "allocations");

            migrationBuilder.DropColumn(
                name: "AgentGid",
                table: "users");

            migrationBuilder.DropColumn(
                name: "AgentUid",
                table: "users");

            migrationBuilder.DropColumn(
                name: "AgentUser",
                table: "users");

            migrationBuilder.DropColumn(
                name: "TaskId",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "TaskId",
                table: "auth_tokens");

            migrationBuilder.DropColumn(
                name: "ProxyAddress",
                table: "allocations");

            migrationBuilder.DropColumn(
                name: "Ready",
                table: "allocations");

            migrationBuilder.DropColumn(
                name: "ResourcePool",
                table: "allocations");

            migrationBuilder.DropColumn(
                name: "Slots",
                table: "allocations");

            migrationBuilder.AddColumn<int>(
                name: "TrialId",
                table: "allocations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.Sql("""UPDATE allocations SET TrialId = coalesce((SELECT t.Id FROM trials t WHERE t.TaskId = allocations.TaskId), 0);""");

            migrationBuilder.CreateIndex(
                name: "IX_allocations_TrialId",
                table: "allocations",
                column: "TrialId");

            migrationBuilder.AddForeignKey(
                name: "FK_allocations_trials_TrialId",
                table: "allocations",
                column: "TrialId",
                principalTable: "trials",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
