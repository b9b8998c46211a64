"""/notify episodes: members opt in to a server role that is pinged when an episode's thread
opens. That role, in that one message, is the only mention the bot ever allows.

The role is named by the server's settings (`/settings alerts`), found by that name or
created (mentionable) when the bot has Manage Roles; giving and taking it needs the same.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.i18n import N_, Where, t

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

log = logging.getLogger(__name__)


def alert_text(role_id: int, episode: int, thread_id: int, where: Where) -> str:
    """The one message that may ping: the opt-in role, when an episode's thread opens."""
    return t(
        where,
        "<@&{role}> Episode {episode}'s discussion thread is open: <#{thread}>. "
        "(You get this because you chose `/notify episodes`.)",
        role=role_id,
        episode=episode,
        thread=thread_id,
    )


def quoted(name: str) -> str:
    """A role name as text in a reply: quoted, markdown inert."""
    return f"“{discord.utils.escape_markdown(name)}”"


def find_role(guild: discord.Guild, name: str, role_id: int | None) -> discord.Role | None:
    """The stored role if it still exists, else one with the configured name."""
    if role_id is not None:
        role = guild.get_role(role_id)
        if role is not None:
            return role
    folded = name.casefold()
    return next((r for r in guild.roles if r.name.casefold() == folded), None)


def role_problem(guild: discord.Guild, role: discord.Role, where: Where) -> str | None:
    """Why the bot can't give or take this role, or None."""
    if not guild.me.guild_permissions.manage_roles:
        return t(
            where,
            "I need the Manage Roles permission to give and take the {role} role; ask a server "
            "admin.",
            role=quoted(role.name),
        )
    if role.managed or role.is_default() or role >= guild.me.top_role:
        return t(
            where,
            "The {role} role is above my highest role, so I can't give it; ask a server admin "
            "to move my role above it.",
            role=quoted(role.name),
        )
    return None


@app_commands.guild_only()
class Notify(commands.GroupCog, group_name="notify"):
    """Alerts you can opt in to."""

    def __init__(self, bot: SoundtrackBot) -> None:
        self.bot = bot
        super().__init__()

    async def _role(self, guild: discord.Guild, *, create: bool) -> discord.Role:
        records = self.bot.state.community
        name, role_id = await records.alert_role(guild.id)
        role = find_role(guild, name, role_id)
        if role is None:
            if not create:
                raise UserFacingError(
                    N_("This server has no {role} role, so you have none to leave."),
                    role=quoted(name),
                )
            if not guild.me.guild_permissions.manage_roles:
                raise UserFacingError(
                    N_(
                        "This server has no {role} role yet, and I need the Manage Roles "
                        "permission to create it; ask a server admin."
                    ),
                    role=quoted(name),
                )
            role = await guild.create_role(
                name=name, mentionable=True, reason="Opt-in episode alerts (/notify episodes)"
            )
            log.info("Created alert role %s in guild %s", role.id, guild.id)
        if role.id != role_id:
            await records.set_alert_role(guild.id, name, role.id)
        return role

    @app_commands.command(name="episodes")
    @app_commands.describe(alerts="on: get pinged when an episode's thread opens; off: stop")
    async def episodes(
        self, interaction: discord.Interaction, alerts: Literal["on", "off"]
    ) -> None:
        """Get pinged (or stop) when an episode's discussion thread opens."""
        guild, member = interaction.guild, interaction.user
        if guild is None or not isinstance(member, discord.Member):
            raise UserFacingError(N_("This command only works in a server."))
        role = await self._role(guild, create=alerts == "on")
        problem = role_problem(guild, role, interaction)
        if problem:
            raise UserFacingError(problem)
        mention = quoted(role.name)
        if alerts == "on":
            if role in member.roles:
                text = t(interaction, "You already have the {role} role.", role=mention)
            else:
                await member.add_roles(role, reason="/notify episodes on")
                text = t(
                    interaction,
                    "Done: you have the {role} role and get pinged when an episode's thread "
                    "opens. `/notify episodes alerts:off` stops it.",
                    role=mention,
                )
            if not role.mentionable and not guild.me.guild_permissions.mention_everyone:
                text += "\n" + t(
                    interaction,
                    "The role isn't mentionable, so pings won't reach you until an admin "
                    "makes it mentionable.",
                )
        elif role in member.roles:
            await member.remove_roles(role, reason="/notify episodes off")
            text = t(interaction, "Done: no more episode pings for you.")
        else:
            text = t(interaction, "You don't have the {role} role; nothing to stop.", role=mention)
        await interaction.response.send_message(text, ephemeral=True)

    @commands.Cog.listener()
    async def on_episode_thread_opened(
        self, guild: discord.Guild, episode: int, thread: discord.Thread
    ) -> None:
        """Ping the opt-in role in the new thread, allowing that role and nothing else."""
        name, role_id = await self.bot.state.community.alert_role(guild.id)
        role = guild.get_role(role_id) if role_id is not None else None
        if role is None:
            return  # nobody has opted in here (the role is made on the first /notify)
        try:
            await thread.send(
                alert_text(role.id, episode, thread.id, guild),
                allowed_mentions=discord.AllowedMentions(
                    everyone=False, users=False, roles=[role], replied_user=False
                ),
            )
        except discord.HTTPException:
            log.warning("Could not post the %s alert in thread %s", name, thread.id)


async def setup(bot: SoundtrackBot) -> None:
    await bot.add_cog(Notify(bot))
