/* The demo plan: a Shropshire CSP's Prevent action plan, dated relative to today. */
#include "ragboard/demo.h"
#include "ragboard/edit.h"
#include "ragboard/meeting.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Day offsets from today; the plan was adopted this many days ago. */
#define PLAN_ADOPTED (-210)
#define MEETING_1 (-91)
#define MEETING_2 (-42)
#define MAX_PARTNERS 8
#define MAX_AGENCIES 8
#define MAX_UPDATES 5
#define MAX_MINUTES 8

struct demo_objective {
    const char *strand, *ref, *title;
};

static const struct demo_objective demo_objectives[] = {
    {"PREVENT", "PV-1", "Multi-agency Prevent partnership group"},
    {"PREVENT", "PV-2", "Local risk assessment from the Counter Terrorism Local Profile"},
    {"PREVENT", "PV-3", "Prevent partnership plan and reporting"},
    {"PREVENT", "PV-4", "Referral pathway and the Channel panel"},
    {"PREVENT", "PV-5", "Prevent training programme"},
    {"PREVENT", "PV-6", "Reducing permissive environments"},
    {"PREVENT", "PV-7", "Communications and community engagement"},
    {"PREVENT", "PV-8", "Safeguarding and online harms"},
    {"PROTECT", "PT-1", "Crowded places and public venues"},
    {"PREPARE", "PR-1", "Emergency planning for a terrorist incident"},
    {"PURSUE", "PU-1", "Disrupting terrorist activity (police-led)"},
};

struct demo_update {
    int day;      /* offset from today */
    int progress; /* -1: no figure */
    bool confidential;
    const char *text;
};

struct demo_action {
    const char *ref, *objective, *title, *description;
    const char *lead, *owner;
    const char *partners[MAX_PARTNERS];
    int created; /* offset from today; 0 means the day the plan was adopted */
    int start, due; /* offsets; due RB_NO_DATE for ongoing */
    int progress;
    enum action_state state;
    bool confidential;
    struct demo_update updates[MAX_UPDATES];
};

#define NS STATE_NOT_STARTED
#define IP STATE_IN_PROGRESS
#define DONE STATE_COMPLETE
#define CANC STATE_CANCELLED
#define ONGOING RB_NO_DATE

static const struct demo_action demo_actions[] = {
    {"PV-1.1", "PV-1", "Refresh the terms of reference of the Prevent partnership group",
     "Update membership, quorum and reporting lines so the group meets the Prevent duty "
     "benchmark, then publish the agreed terms.",
     "SC", "Community Safety Manager", {"WMP", "NHS", "EDU", "PROB"}, 0, -205, -150, 100, DONE,
     false,
     {{-190, 35, false, "Draft terms circulated to every member agency for comment."},
      {-160, 80, false, "Comments in from police, health and probation; quorum rule simplified."},
      {-152, 100, false, "Terms agreed by the group and published on the partnership web pages."}}},
    {"PV-1.2", "PV-1", "Keep a named Prevent lead in every member agency",
     "Hold a list of named Prevent leads and deputies, checked each quarter, so that referrals "
     "and alerts reach the right person.",
     "SC", "Prevent Coordinator", {"WMP", "NHS", "EDU", "PROB", "HMP", "SFRS", "VCS"}, 0, -205,
     ONGOING, 60, IP, false,
     {{-150, 40, false, "Named leads confirmed for six of the eight agencies."},
      {-45, 60, false, "List re-checked after staff changes in health and at the prison; two "
                       "deputies still to be named."}}},
    {"PV-1.3", "PV-1", "Self-assess the partnership against the Prevent duty benchmarks",
     "Score each benchmark as not met, met or exceeding, with evidence, and agree actions for "
     "any that are not met.",
     "SC", "Prevent Coordinator", {"WMP", "NHS", "EDU"}, 0, -60, 120, 20, IP, false,
     {{-20, 20, false, "Evidence templates sent to partners; returns due before the next "
                       "meeting."}}},

    {"PV-2.1", "PV-2", "Brief partners on the Counter Terrorism Local Profile",
     "Police to present this year's CTLP to the partnership group and agree which findings "
     "need local action.",
     "WMP", "Police Prevent Lead", {"SC"}, 0, -180, -120, 100, DONE, false,
     {{-150, 50, false, "Briefing booked; those attending to sign the handling agreement."},
      {-122, 100, false, "CTLP briefing given. The local threat is low; the main risk remains a "
                         "lone actor radicalised online."}}},
    {"PV-2.2", "PV-2", "Produce a local risk and vulnerability assessment from the CTLP",
     "Combine the CTLP with council, health and school data to show where people may be most "
     "vulnerable to radicalisation, and use it to set the plan's priorities.",
     "SC", "Community Safety Analyst", {"WMP", "NHS", "EDU"}, 0, -120, -20, 70, IP, false,
     {{-100, 20, false, "Data sharing agreed with police and health; school data requested."},
      {-55, 55, false, "First draft covers online risk and hate crime; school data still "
                       "outstanding."},
      {-25, 70, false, "Draft complete except the new hate crime figures, held up by a change "
                       "of police recording system."}}},
    {"PV-2.3", "PV-2", "Share hate crime and community tension data every quarter",
     "Police to send partners quarterly hate crime figures and a short community tension "
     "summary so that emerging issues are spotted early.",
     "WMP", "Police Prevent Lead", {"SC", "VCS"}, 0, -205, ONGOING, 50, IP, false,
     {{-160, 25, false, "First quarterly summary circulated."},
      {-95, 50, false, "Second summary circulated in the format agreed with the council's "
                       "analyst."}}},

    {"PV-3.1", "PV-3", "Refresh the Prevent action plan against the new CTLP",
     "Review every action against the new local profile, close what is done and add actions "
     "for new risks, ready for sign-off by the partnership.",
     "SC", "Prevent Coordinator", {"WMP", "NHS", "EDU", "PROB", "HMP", "SFRS", "VCS"}, 0, -150,
     10, 80, IP, false,
     {{-90, 40, false, "Workshop held with leads to go through the CTLP recommendations."},
      {-40, 65, false, "Draft plan circulated; comments received from most agencies."},
      {-10, 80, false, "Final draft ready; awaiting comments from health before sign-off."}}},
    {"PV-3.2", "PV-3", "Report progress to the Health and Wellbeing Board twice a year",
     "Give the board a short report on delivery, on each agency's understanding of its duty "
     "and on the responses in place for extremism and radicalisation.",
     "SC", "Community Safety Manager", {"NHS"}, 0, -205, ONGOING, 50, IP, false,
     {{-170, 25, false, "Half-year report taken to the board, which asked for assurance from "
                        "each agency."},
      {-30, 50, false, "Second report drafted with a short assurance statement from each "
                       "agency."}}},
    {"PV-3.3", "PV-3", "Map every health provider's Prevent arrangements",
     "Collect from each NHS provider its Prevent lead, training figures and referral route, for "
     "the report to the Health and Wellbeing Board.",
     "NHS", "Integrated Care Board Safeguarding Lead", {"SC"}, 0, -90, 60, 20, IP, false,
     {{-60, 10, false, "Requests sent to the acute, community and mental health trusts, the "
                       "ambulance service and GP practices."},
      {-14, 20, false, "Two of five providers have replied; reminders sent to directors of "
                       "nursing."}}},

    {"PV-4.1", "PV-4", "Publish one referral pathway for Prevent concerns",
     "Put a single, simple route for raising a Prevent concern, with out-of-hours contacts, on "
     "the council website and every partner's staff intranet.",
     "SC", "Prevent Coordinator", {"WMP", "NHS", "EDU"}, 0, -180, -100, 100, DONE, false,
     {{-150, 50, false, "Pathway agreed with police and the safeguarding front door."},
      {-104, 100, false, "Pathway published online and on partner intranets; leaflet sent to "
                         "schools."}}},
    {"PV-4.2", "PV-4", "Review membership and attendance of the Channel panel",
     "Check that the panel has the right standing members and deputies and that attendance "
     "meets the Channel duty guidance.",
     "SC", "Channel Panel Chair", {"WMP", "NHS", "EDU", "PROB"}, 0, -100, 30, 60, IP, false,
     {{-70, 30, false, "A year's attendance reviewed; mental health attendance is patchy."},
      {-35, 60, false, "Deputies named for health and education; revised terms drafted."}}},
    {"PV-4.3", "PV-4", "Audit Channel case records against the duty guidance",
     "Check a sample of open and closed case files for timely assessment, recorded consent and "
     "reviews at six and twelve months after support ends.",
     "SC", "Channel Panel Chair", {"WMP"}, 0, -80, 40, 55, IP, true,
     {{-60, 25, false, "Sample chosen and checklist agreed with police."},
      {-12, 55, true, "One open case looked at in depth: support in place and a review date "
                      "set. Recording gaps found in two closed files."}}},
    {"PV-4.4", "PV-4", "Route Prevent concerns about people on probation",
     "Agree a written protocol between probation, police and the council for passing on "
     "Prevent concerns about people under supervision.",
     "PROB", "Probation Prevent Lead", {"WMP", "SC"}, 0, -120, -8, 90, IP, false,
     {{-90, 40, false, "Draft protocol shared with police and the council."},
      {-30, 90, false, "Protocol agreed in principle; waiting for sign-off by the regional "
                       "probation director."}}},
    {"PV-4.5", "PV-4", "Include Prevent in release planning at the local prison",
     "Add a Prevent question to the release planning checklist so that concerns are passed to "
     "probation and the council before release.",
     "HMP", "Prison Prevent Lead", {"PROB", "SC", "WMP"}, 0, -150, 45, 65, IP, false,
     {{-120, 20, false, "Release checklist amended to include a Prevent question."},
      {-50, 45, false, "Checklist on trial with the offender management unit."},
      {-20, 65, false, "Checklist used for every release this month; links with housing and "
                       "probation working well."}}},

    {"PV-5.1", "PV-5", "Prevent awareness training for frontline council staff",
     "Make the national Prevent e-learning mandatory for frontline staff, with face-to-face "
     "sessions for teams that need more. Target: 90% completion.",
     "SC", "Workforce Development Manager", {0}, 0, -200, 100, 55, IP, false,
     {{-150, 20, false, "E-learning added to the mandatory list for frontline roles."},
      {-90, 40, false, "40% of frontline staff trained; sessions booked for housing and "
                       "adult social care."},
      {-30, 55, false, "55% trained; managers sent lists of staff still to complete."}}},
    {"PV-5.2", "PV-5", "Prevent training for designated safeguarding leads",
     "Run refresher sessions for designated safeguarding leads in schools and colleges, "
     "including how to make a referral and what Channel offers.",
     "EDU", "Education Safeguarding Adviser", {"SC", "WMP"}, 0, -160, 20, 60, IP, false,
     {{-120, 25, false, "First two sessions held for secondary schools."},
      {-60, 45, false, "Primary school sessions under way; colleges booked."},
      {-15, 60, false, "Take-up from primary schools lower than hoped; two extra online "
                       "sessions added."}}},
    {"PV-5.3", "PV-5", "Prevent training for GP practices and hospital staff",
     "Bring Prevent training in GP practices and hospital teams up to the level set in the NHS "
     "safeguarding training guidance.",
     "NHS", "Named Safeguarding Nurse", {0}, 0, -200, -40, 65, IP, false,
     {{-160, 30, false, "Hospital figures reviewed; GP practice figures requested."},
      {-100, 50, false, "Hospital teams at target; GP practices well behind."},
      {-45, 65, false, "Recovery plan agreed with the GP federation; practice leads "
                       "chased."}}},
    {"PV-5.4", "PV-5", "Prevent awareness in home fire safety visits",
     "Train crews and advocates who make home fire safety visits to notice and pass on "
     "Prevent concerns, alongside other safeguarding concerns.",
     "SFRS", "Station Manager, Prevention", {"SC"}, 0, -120, 60, 70, IP, false,
     {{-80, 35, false, "Briefing added to the home fire safety visit training pack."},
      {-20, 70, false, "Seven of ten stations briefed; the rest booked."}}},
    {"PV-5.5", "PV-5", "Train voluntary and faith group volunteers to recognise concerns",
     "Offer short sessions to volunteers in community and faith groups on spotting concerns "
     "and where to take them.",
     "VCS", "Voluntary Sector Development Officer", {"SC"}, 0, 14, 150, 0, NS, false, {{0}}},
    {"PV-5.6", "PV-5", "Prevent refresher training for prison officers",
     "Refresh Prevent training for residential and offender management staff at the local "
     "prison.",
     "HMP", "Prison Prevent Lead", {0}, 0, -150, -60, 100, DONE, false,
     {{-120, 50, false, "Half of residential staff trained."},
      {-70, 100, false, "All residential and offender management staff trained."}}},
    {"PV-5.7", "PV-5", "Commission a separate Prevent module for taxi drivers",
     "Commission a short course on Prevent for licensed taxi and private hire drivers.",
     "SC", "Licensing Manager", {0}, 0, -180, -30, 10, CANC, false,
     {{-150, 10, false, "Specification drafted."},
      {-91, -1, false, "Cancelled by the partnership group: drivers will take the free "
                       "national e-learning as a licence condition instead."}}},

    {"PV-6.1", "PV-6", "Check speakers and groups when council venues are hired",
     "Apply the venue hire policy so that bookings by groups or speakers who promote hatred or "
     "terrorism are checked and can be refused.",
     "SC", "Facilities Manager", {"WMP"}, 0, -150, -30, 85, IP, false,
     {{-100, 40, false, "Policy drafted with legal services."},
      {-50, 85, false, "Policy approved by Cabinet and in force; the change to the booking "
                       "system that flags bookings for checks is with the supplier."}}},
    {"PV-6.2", "PV-6", "Check web filtering on council and library computers",
     "Test that filtering on staff and public computers blocks terrorist and extremist content "
     "and that attempts to reach it are reported.",
     "SC", "ICT Security Manager", {0}, 0, -120, -60, 100, DONE, false,
     {{-100, 50, false, "Filtering tested on library computers; two gaps fixed."},
      {-65, 100, false, "Staff network tested; reporting route agreed with the Prevent "
                        "Coordinator."}}},
    {"PV-6.3", "PV-6", "Filtering and monitoring in schools",
     "Help schools check their filtering and monitoring against the national standards and "
     "fix any gaps.",
     "EDU", "Schools ICT Adviser", {"SC"}, 0, -90, 90, 40, IP, false,
     {{-60, 15, false, "Self-check tool sent to all schools."},
      {-20, 40, false, "Returns in from 40% of schools; common gaps shared with heads."}}},

    {"PV-7.1", "PV-7", "Publish a plain-English public guide to Prevent",
     "Write a short guide for residents on what Prevent is, what it is not, and how to raise a "
     "concern.",
     "SC", "Communications Officer", {"WMP", "VCS"}, 0, -100, 50, 10, IP, false,
     {{-70, 10, false, "First draft written; on hold while the national guidance is "
                       "refreshed."}}},
    {"PV-7.2", "PV-7", "Meet faith and community groups after major incidents",
     "Arrange meetings with faith and community groups after national or international "
     "incidents to reassure and to hear concerns.",
     "VCS", "Voluntary Sector Development Officer", {"SC", "WMP"}, 0, -205, ONGOING, 40, IP,
     false,
     {{-140, 20, false, "Contact list of faith and community leaders brought up to date."},
      {-20, 40, false, "Reassurance meeting held after an incident abroad; well attended."}}},
    {"PV-7.3", "PV-7", "Joint communications protocol for community tension",
     "Agree who says what, and when, after an incident that could raise community tension, so "
     "that partners speak with one voice.",
     "WMP", "Police Communications Manager", {"SC", "SFRS"}, 0, -60, 60, 50, IP, false,
     {{-30, 30, false, "Draft protocol shared with council and fire communications teams."},
      {-5, 50, false, "Protocol tested in a short desk exercise; changes agreed."}}},

    {"PV-8.1", "PV-8", "Build Prevent into the safeguarding partnership procedures",
     "Make sure the adult and children's safeguarding procedures cover radicalisation and link "
     "to the Prevent referral pathway.",
     "SC", "Safeguarding Partnership Business Manager", {"NHS", "EDU", "WMP"}, 0, -200, -110,
     100, DONE, false,
     {{-180, 40, false, "Procedures reviewed; radicalisation section rewritten."},
      {-115, 100, false, "Revised procedures published by the safeguarding partnership."}}},
    {"PV-8.2", "PV-8", "Online safety sessions for parents and carers",
     "Run sessions for parents and carers on online harms, including how young people can be "
     "drawn into extremist content online.",
     "EDU", "Online Safety Lead", {"VCS", "WMP"}, 0, -50, 190, 0, NS, false, {{0}}},
    {"PV-8.3", "PV-8", "Joint working between Prevent and mental health services",
     "Agree how Prevent and mental health teams work together on people with complex needs, "
     "including joint assessment before a Channel panel.",
     "NHS", "Mental Health Trust Prevent Lead", {"SC", "WMP"}, 0, -150, 30, 35, IP, false,
     {{-130, 10, false, "Meeting held between the trust and the Channel panel chair."},
      {-80, 25, false, "Draft joint working note written; trust lead has since left."},
      {-30, 35, false, "No named lead at the trust yet; note not signed off."}}},

    {"PT-1.1", "PT-1", "Protective security advice for large outdoor events",
     "Give organisers of the county's largest outdoor events advice on protective security and "
     "staff awareness.",
     "WMP", "Counter Terrorism Security Adviser", {"SC", "SFRS"}, 0, -120, 40, 70, IP, false,
     {{-90, 30, false, "Events for the coming season listed with the safety advisory group."},
      {-30, 70, false, "Advice given to the organisers of the three largest events."}}},
    {"PT-1.2", "PT-1", "Identify council venues in scope of the new protect duty",
     "List council venues that the new protect duty for public premises will cover and brief "
     "their managers on what it will ask of them.",
     "SC", "Emergency Planning Manager", {"WMP"}, MEETING_2, -35, 150, 15, IP, false,
     {{-10, 15, false, "First list of venues drafted from the property register."}}},

    {"PR-1.1", "PR-1", "Tabletop exercise on the response to a terrorist incident",
     "Test the multi-agency response, including rest centres and support for those affected, "
     "in an exercise with the Local Resilience Forum.",
     "SC", "Emergency Planning Manager", {"WMP", "SFRS", "NHS"}, 0, -90, 75, 40, IP, false,
     {{-60, 20, false, "Scenario outline agreed with the Local Resilience Forum."},
      {-15, 40, false, "Exercise date set; invitations sent to all responders."}}},
    {"PR-1.2", "PR-1", "Review fire and rescue arrangements for a marauding attack",
     "Check that joint operating arrangements with police and ambulance for a marauding "
     "terrorist attack are current and that crews have been briefed.",
     "SFRS", "Group Manager, Operational Response", {"WMP", "NHS"}, 0, -100, -5, 80, IP,
     false,
     {{-70, 40, false, "Arrangements reviewed with police and ambulance colleagues."},
      {-25, 80, false, "Crew briefings complete at most stations; two on-call stations left."}}},
    {"PR-1.3", "PR-1", "Write a separate Prevent emergency plan",
     "Write a stand-alone plan for the council's response to a terrorist incident.",
     "SC", "Emergency Planning Manager", {0}, 0, -200, -60, 0, CANC, false,
     {{-91, -1, false, "Cancelled: the Local Resilience Forum's plans already cover a terrorist "
                       "incident; a separate plan would duplicate them."}}},

    {"PU-1.1", "PU-1", "Pass partner information to Counter Terrorism Policing",
     "Make sure information from partners that may be relevant to counter terrorism reaches "
     "Counter Terrorism Policing through the agreed route.",
     "WMP", "Counter Terrorism Policing Detective Inspector", {"SC", "PROB"}, 0, -205, ONGOING,
     50, IP, false,
     {{-150, 25, false, "Route explained to partner leads at the partnership group."},
      {-40, 50, false, "Route used by two partners this quarter; feedback positive."}}},
    {"PU-1.2", "PU-1", "Manage people released after terrorism-connected offences",
     "Joint management by probation, police and the prison of people released after "
     "terrorism-connected offences, through the agreed multi-agency arrangements.",
     "PROB", "Senior Probation Officer, National Security", {"WMP", "HMP"}, 0, -150, ONGOING,
     50, IP, false,
     {{-100, 30, false, "Local arrangements checked against the national framework."},
      {-55, 50, true, "One person under these arrangements is due for release; licence "
                      "conditions and accommodation agreed."}}},
};

/* Who types the updates for each lead agency; the plan itself is kept by the
 * Prevent Coordinator. */
static const struct {
    const char *agency, *user;
} demo_users[] = {
    {"SC", "prevent.coordinator"},  {"WMP", "wmp.prevent.lead"},
    {"NHS", "icb.safeguarding"},    {"EDU", "education.safeguarding"},
    {"PROB", "probation.prevent"},  {"HMP", "prison.prevent"},
    {"SFRS", "sfrs.prevention"},    {"VCS", "vcs.development"},
};
#define PLAN_KEEPER "prevent.coordinator"
#define CHAIR_USER "csp.chair"

struct demo_attendance {
    const char *agency, *status, *names;
};

struct demo_minute {
    const char *kind, *action; /* action ref or NULL */
    const char *text;
    const char *override_reason; /* for kind "rag": the Amber rating agreed */
};

struct demo_meeting {
    const char *title;
    int day;
    const char *chair;
    struct demo_attendance attendance[MAX_AGENCIES];
    struct demo_minute minutes[MAX_MINUTES];
};

static const struct demo_meeting demo_meetings[] = {
    {"Prevent Partnership Group", MEETING_1, "Community Safety Manager",
     {{"SC", "present", "Community Safety Manager (chair), Prevent Coordinator"},
      {"WMP", "present", "Police Prevent Lead, Counter Terrorism Security Adviser"},
      {"NHS", "present", "Named Safeguarding Nurse"},
      {"EDU", "apologies", "Education Safeguarding Adviser"},
      {"PROB", "present", "Probation Prevent Lead"},
      {"HMP", "absent", ""},
      {"SFRS", "present", "Station Manager, Prevention"},
      {"VCS", "apologies", "Voluntary Sector Development Officer"}},
     {{"note", NULL, "The national threat level is unchanged. The "
                     "local threat stays low; the main concern is a lone actor, often young, "
                     "radicalised online.", NULL},
      {"reviewed", "PV-2.1", "CTLP briefing noted; the local risk assessment (PV-2.2) will "
                             "build on it.", NULL},
      {"reviewed", "PV-4.1", "Referral pathway confirmed as complete.", NULL},
      {"decision", "PV-5.7", "Agreed to cancel: licensing will make the national e-learning a "
                             "licence condition for drivers.", NULL},
      {"decision", "PR-1.3", "Agreed to cancel: the Local Resilience Forum's plans already "
                             "cover this.", NULL},
      {"update", "PV-5.3", "Health reported slow take-up in GP practices; a recovery plan will "
                           "come to the next meeting.", NULL}}},
    {"Prevent Partnership Group", MEETING_2, "Community Safety Manager",
     {{"SC", "present", "Community Safety Manager (chair), Prevent Coordinator, Emergency "
                        "Planning Manager"},
      {"WMP", "present", "Police Prevent Lead"},
      {"NHS", "apologies", "Integrated Care Board Safeguarding Lead"},
      {"EDU", "present", "Education Safeguarding Adviser"},
      {"PROB", "apologies", "Probation Prevent Lead"},
      {"HMP", "present", "Prison Prevent Lead"},
      {"SFRS", "absent", ""},
      {"VCS", "present", "Voluntary Sector Development Officer"}},
     {{"note", NULL, "No change nationally. Referrals locally are "
                     "mostly young people with mixed or unclear ideology.", NULL},
      {"update", "PV-2.2", "Assessment held up by the police recording system change; revised "
                           "date to follow.", NULL},
      {"rag", "PV-6.1", "Rated Amber rather than Red: the policy is in force and only the "
                        "booking system change remains.",
       "Policy in force; only the booking system change is left and the supplier has fixed a "
       "date"},
      {"decision", "PV-8.3", "Red item. Corrective action: the chair will write to the mental "
                             "health trust asking for a named lead and a recovery date.", NULL},
      {"new_action", "PT-1.2", "New action: list council venues in scope of the new protect "
                               "duty and brief their managers. Lead: emergency planning.", NULL},
      {"reviewed", "PV-4.4", "Reviewed in the lead's absence; sign-off still awaited.",
       NULL}}},
};

/* "YYYY-MM-DDTHH:MM:00Z" for a day and a time of day in minutes. */
static char *iso_time(rb_day day, unsigned minutes, char buf[21])
{
    char date[RB_DATE_BUF];
    snprintf(buf, 21, "%sT%02u:%02u:00Z", date_format_iso(day, date), minutes / 60 % 24,
             minutes % 60);
    return buf;
}

static rb_day offset(rb_day today, int off)
{
    return off == RB_NO_DATE ? RB_NO_DATE : today + off;
}

/* The config's spelling of code, or NULL when the config has no such agency. */
static const char *agency_in(const struct config *cfg, const char *code)
{
    for (size_t i = 0; code && i < cfg->n_agencies; i++)
        if (str_ieq(cfg->agencies[i].code, code))
            return cfg->agencies[i].code;
    return NULL;
}

/* The lead to use: code if configured, else the first agency (NULL when none). */
static const char *lead_agency(const struct config *cfg, const char *code)
{
    const char *a = agency_in(cfg, code);
    return a ? a : cfg->n_agencies ? cfg->agencies[0].code : NULL;
}

static const char *user_for(const char *agency)
{
    for (size_t i = 0; i < LEN(demo_users); i++)
        if (strcmp(demo_users[i].agency, agency) == 0)
            return demo_users[i].user;
    return PLAN_KEEPER;
}

static int64_t action_id(const int64_t *ids, const char *ref)
{
    for (size_t i = 0; ref && i < LEN(demo_actions); i++)
        if (strcmp(demo_actions[i].ref, ref) == 0)
            return ids[i];
    return 0;
}

/* Step a prepared statement that returns no rows, then finalize it. */
static int step_done(sqlite3 *db, sqlite3_stmt *s, const char *what, char *err)
{
    int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : rb_fail(err, "%s: %s", what, sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return rc;
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **s, char *err)
{
    if (sqlite3_prepare_v2(db, sql, -1, s, NULL) != SQLITE_OK)
        return rb_fail(err, "demo plan: %s", sqlite3_errmsg(db));
    return 0;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

static int check_empty(struct store *st, char *err)
{
    sqlite3_stmt *s;
    if (prepare(store_db(st),
                "SELECT (SELECT count(*) FROM actions) + (SELECT count(*) FROM meetings)", &s,
                err) != 0)
        return -1;
    int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
    sqlite3_finalize(s);
    if (n != 0)
        return rb_fail(err, "the demo plan goes into an empty plan only; %s already holds "
                            "actions or meetings", store_path(st));
    return 0;
}

static int seed_action(struct store *st, const struct config *cfg, const struct demo_action *d,
                       rb_day today, int64_t *id, char *err)
{
    const char *lead = lead_agency(cfg, d->lead);
    struct strbuf partners = {0};
    for (size_t i = 0; i < MAX_PARTNERS && d->partners[i]; i++) {
        const char *p = agency_in(cfg, d->partners[i]);
        if (!p || (lead && strcmp(p, lead) == 0))
            continue;
        sb_add(&partners, partners.len ? ", " : "");
        sb_add(&partners, p);
    }
    char created[21];
    int strand = -1;
    for (size_t i = 0; i < LEN(demo_objectives); i++)
        if (strcmp(demo_objectives[i].ref, d->objective) == 0)
            strand = strand_index(demo_objectives[i].strand);
    struct action a = {
        .ref = (char *)d->ref,
        .title = (char *)d->title,
        .description = (char *)d->description,
        .strand = (char *)(strand >= 0 ? strands[strand].code : ""),
        .objective_ref = (char *)d->objective,
        .lead = (char *)lead,
        .owner = (char *)d->owner,
        .partners = partners.buf,
        .start = offset(today, d->start),
        .due = offset(today, d->due),
        .progress = d->progress,
        .state = d->state,
        .override = RAG_NONE,
        .confidential = d->confidential,
        .created_at = iso_time(today + (d->created ? d->created : PLAN_ADOPTED), 16 * 60,
                               created),
    };
    store_set_user(st, PLAN_KEEPER);
    int rc = store_action_insert(st, &a, err);
    sb_free(&partners);
    *id = a.id;

    store_set_user(st, user_for(d->lead));
    for (size_t i = 0; rc == 0 && i < MAX_UPDATES && d->updates[i].text; i++) {
        const struct demo_update *du = &d->updates[i];
        char at[21];
        struct progress_update u = {
            .action_id = a.id,
            .date = today + du->day,
            .author = (char *)store_user(st),
            .text = (char *)du->text,
            .progress = du->progress,
            .confidential = du->confidential,
            .created_at = iso_time(today + du->day, 14 * 60 + (unsigned)i, at),
        };
        rc = store_update_insert(st, &u, err);
    }
    return rc;
}

/* A manual rating agreed in the meeting, timed as the minute that records it. */
static int seed_override(struct store *st, int64_t id, const struct demo_minute *m,
                         const char *at, char *err)
{
    store_set_user(st, CHAIR_USER);
    if (store_action_override(st, id, RAG_AMBER, m->override_reason, err) != 0)
        return -1;
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s;
    if (prepare(db, "UPDATE actions SET override_at = ? WHERE id = ?", &s, err) != 0)
        return -1;
    sqlite3_bind_text(s, 1, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, id);
    return step_done(db, s, "dating the demo rating", err);
}

static int seed_meeting(struct store *st, const struct config *cfg,
                        const struct demo_meeting *m, const int64_t *ids, rb_day today,
                        char *err)
{
    sqlite3 *db = store_db(st);
    rb_day day = today + m->day;
    int64_t meeting = store_new_key();
    char date[RB_DATE_BUF], opened[21], closed[21], at[21];
    sqlite3_stmt *s;

    store_set_user(st, PLAN_KEEPER);
    if (prepare(db, "INSERT INTO meetings (id, title, date, chair, opened_at, closed_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)", &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, meeting);
    bind_text(s, 2, m->title);
    bind_text(s, 3, date_format_iso(day, date));
    bind_text(s, 4, m->chair);
    bind_text(s, 5, iso_time(day, 10 * 60, opened));
    bind_text(s, 6, iso_time(day, 12 * 60, closed));
    if (step_done(db, s, "saving a demo meeting", err) != 0)
        return -1;

    for (size_t i = 0; i < cfg->n_agencies; i++) {
        const char *status = "absent", *names = "";
        for (size_t j = 0; j < MAX_AGENCIES && m->attendance[j].agency; j++) {
            if (str_ieq(m->attendance[j].agency, cfg->agencies[i].code)) {
                status = m->attendance[j].status;
                names = m->attendance[j].names;
            }
        }
        if (prepare(db, "INSERT INTO attendance (meeting_id, agency, status, names) "
                        "VALUES (?, ?, ?, ?)", &s, err) != 0)
            return -1;
        sqlite3_bind_int64(s, 1, meeting);
        bind_text(s, 2, cfg->agencies[i].code);
        bind_text(s, 3, status);
        bind_text(s, 4, names);
        if (step_done(db, s, "saving demo attendance", err) != 0)
            return -1;
    }

    for (size_t i = 0; i < MAX_MINUTES && m->minutes[i].kind; i++) {
        const struct demo_minute *e = &m->minutes[i];
        int64_t action = action_id(ids, e->action);
        iso_time(day, 10 * 60 + 5 + 10 * (unsigned)i, at);
        if (e->override_reason && seed_override(st, action, e, at, err) != 0)
            return -1;
        store_set_user(st, PLAN_KEEPER);
        if (prepare(db, "INSERT INTO minute_entries (id, meeting_id, action_id, kind, text, "
                        "author, created_at, heading) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    &s, err) != 0)
            return -1;
        /* The demo's notes are the police threat update, a standing item. */
        sqlite3_bind_text(s, 8, strcmp(e->kind, "note") == 0 ? "Threat update" : NULL, -1,
                          SQLITE_STATIC);
        sqlite3_bind_int64(s, 1, store_new_key());
        sqlite3_bind_int64(s, 2, meeting);
        if (action)
            sqlite3_bind_int64(s, 3, action);
        else
            sqlite3_bind_null(s, 3);
        bind_text(s, 4, e->kind);
        bind_text(s, 5, e->text);
        bind_text(s, 6, PLAN_KEEPER);
        bind_text(s, 7, at);
        if (step_done(db, s, "saving a demo minute", err) != 0)
            return -1;
    }
    /* How the plan stood when the meeting closed, for "since the last meeting". */
    return snapshot_take(st, meeting, &cfg->rag, day, err);
}

int demo_seed(struct store *st, const struct config *cfg, rb_day today, char *err)
{
    if (store_begin(st, err) != 0)
        return -1;
    char *saved_user = xstrdup(store_user(st));
    int64_t ids[LEN(demo_actions)] = {0};
    int rc = check_empty(st, err);

    store_set_user(st, PLAN_KEEPER);
    for (size_t i = 0; rc == 0 && i < LEN(demo_objectives); i++)
        rc = store_objective_put(st, demo_objectives[i].strand, demo_objectives[i].ref,
                                 demo_objectives[i].title, NULL, err);
    for (size_t i = 0; rc == 0 && i < LEN(demo_actions); i++)
        rc = seed_action(st, cfg, &demo_actions[i], today, &ids[i], err);
    for (size_t i = 0; rc == 0 && i < LEN(demo_meetings); i++)
        rc = seed_meeting(st, cfg, &demo_meetings[i], ids, today, err);

    store_set_user(st, saved_user);
    free(saved_user);
    if (rc != 0) {
        store_rollback(st);
        return -1;
    }
    rc = store_commit(st, err);
    /* Seeding is not the user's change: there is nothing for them to undo. */
    store_undo_clear(st);
    return rc;
}
