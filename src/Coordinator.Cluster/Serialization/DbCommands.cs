using System.Data.Common;

namespace Coordinator.Cluster.Serialization;

/// <summary>Parameterised commands on either provider's connection (SQLite or PostgreSQL), for the tables kept beside the journal.</summary>
internal static class DbCommands
{
    public static DbCommand Command(this DbConnection connection, string sql, string name, object value)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Add(name, value);
        return command;
    }

    public static void Add(this DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
