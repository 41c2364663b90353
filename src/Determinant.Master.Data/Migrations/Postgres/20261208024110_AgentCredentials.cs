using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Determinant.Master.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AgentCredentials : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agent_credentials",
                columns: table => new
                {
                    AgentId = table.Column<string>(type: "text", nullable: false),
                    TokenHash = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agent_credentials", x => x.AgentId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_agent_credentials_TokenHash",
                table: "agent_credentials",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agent_credentials");
        }
    }
}
