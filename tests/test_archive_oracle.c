/*  test_archive_oracle — archive.search checked against SQLite's own FTS5.
    See test_archive_oracle.h.

    The worker answers a search its own way (archive_rank: bm25 from
    lengths held in memory, filters tested in memory), and may change that
    way for speed; what it answers must not change: the matches of the
    FTS5 expression among the current items the role may see, filtered,
    ordered by bm25 (item_fts, 4.0, 1.0) and then by id, each scored
    round (-bm25 * 1000), each with the snippet FTS5's snippet () makes
    of it (archive_snippet makes it without FTS5's cursor), cut as a reply
    cuts it.  The oracle says what that is with the plainest SQL: FTS5's
    own bm25 () and snippet () on a connection of its own, one condition on
    item per filter asked.  Only the tokenizer (without which the index
    cannot be read) and archive_worker_match (the search words as an FTS5
    expression, tested in test_archive.c) come from the worker.

    The archive is varied where a search path could go wrong: texts of
    many lengths (scores differ), identical texts (ties, broken by id),
    Chinese without spaces (two- and three-character words, 会议 across a
    word boundary in 大会议程), accents (réunion, reunion), distributions
    for each role, symbols with suffixes, statements of a meeting that is
    scheduled only in the second part (their convention arrives late), a
    revision that takes its first text out of the index, outcomes (one
    without text, one with an empty one); and for snippets, long texts
    whose best window is at the start, in the middle or at the end,
    sentences, phrases that overlap, a Chinese text as a PDF gives it, a
    table of contents too long for a reply (s_rules says which search is
    there for what).  A third part, an archive of its own, holds two hits whose bm25 are equal
    in exact arithmetic and apart by rounding: their order is FTS5's only
    if bm25 is computed as FTS5 computes it, operation for operation. */
#include "test_archive_oracle.h"
#include "archive_tokenizer.h"
#include "archive_worker.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_HITS_MAX    128         //  more than the archive's items
#define S_MATCH_MAX   4096        //  an FTS5 expression, as the worker allows
#define S_FIELDS      16          //  an event's names and values at most
#define S_ARGS        10          //  a search's

//  The snippet of a hit as the worker makes it (archive_store.c: s_hit asks
//  archive_snippet for these marks and ARCHIVE_SNIPPET_TOKENS tokens), here
//  asked of FTS5's own snippet (); and the bytes of it a reply keeps
//  (s_row_object's ARCHIVE_SNIPPET_MAX), the mark of a cut after them.
#define S_SNIPPET     "snippet (item_fts, -1, '⟦', '⟧', '…', 40)"
#define S_SNIPPET_MAX 4000
#define S_CUT         "…"

struct _oracle_t {
    sqlite3 *db;
};

//  A long text, in pieces: each TEXT repeated TIMES times, up to { NULL }.
typedef struct {
    const char *text;
    int times;
} s_piece_t;

//  An event: its part, its topic, and its payload's fields as name, value
//  pairs (documents, the one list, holds one symbol).
typedef struct {
    int part;
    const char *topic;
    const char *fields [S_FIELDS];
} s_event_t;

#define S_MEETING   "meeting.scheduled"
#define S_DOCUMENT  "document.released"
#define S_STATEMENT "statement.delivered"
#define S_OUTCOME   "outcome.adopted"

//  Fields a topic requires that the archive does not care about: topic,
//  name, value.
static const char *s_defaults [] = {
    S_MEETING, "kind", "msp",
    S_MEETING, "venue", "Geneva",
    S_MEETING, "tz", "Europe/Zurich",
    S_MEETING, "start", "2025-01-06",
    S_MEETING, "end", "2025-01-10",
    NULL
};

//  Long texts (some 2,000 words, 2,500 characters in Chinese), where the
//  snippet's window must be chosen among many: paragraphs that no search
//  looks for, around those that searches do.  Sentences start after '.'
//  or ':' and blanks (a window that starts at one scores more), not after
//  a '.' without a blank ("2.0") nor after '。'.
#define S_FILLER_A \
    "Delegations exchanged views on the universal application of the norms set out in the" \
    " Convention and on the practical steps taken at the national level since the previous" \
    " session; several speakers described cooperation with regional organizations, the" \
    " training of national staff and the exchange of information among operators in the" \
    " field.\n\n"
#define S_FILLER_B \
    "The Coordinating Committee reviewed the schedule of work for the intersessional period," \
    " the preparation of documents in the six official languages and the arrangements for" \
    " interpretation, and it invited all delegations to submit their written contributions" \
    " well in advance of the session.\n\n"
#define S_FILLER_ZH \
    "3. 各国强调国际合作与援助的重要性，呼吁捐助方继续提供可预测的多年期资金，\n" \
    "并支持受影响国家加强本国能力，包括培训本国人员、建立信息管理系统和完善质\n" \
    "量管理程序。\n"

//  The words searched for in the middle, after "Findings:" and a line break
static const s_piece_t s_text_middle [] = {
    { "Introduction:\nThis paper reviews the requests for extension received in 2025. For each"
      " request it gives the deadline sought, the quantities that remain to be destroyed and"
      " the reasons given by the requesting State.\n\n", 1 },
    { S_FILLER_A S_FILLER_B, 10 },
    { "Findings:\nStockpile destruction in two States Parties will not be completed by the"
      " deadline of 1 August 2026; both use the Guide 2.0 on stockpile destruction, and each"
      " asks for a new deadline twelve months later.\n\n", 1 },
    { S_FILLER_B S_FILLER_A, 10 },
    { "Conclusion: the analysing group thanks the requesting States for their cooperation.\n", 1 },
    { NULL, 0 }
};

//  ... at the very end, in the last sentence, which has no full stop
static const s_piece_t s_text_end [] = {
    { "Article 7 of the Convention asks each State Party to submit an initial return within"
      " 180 days and an annual return by 30 April of each year.\n\n", 1 },
    { S_FILLER_A S_FILLER_B, 20 },
    { "Of the returns due this year, forty-one arrived on time and nine arrived late; two"
      " signatories expect to complete their ratification before the end of the year", 1 },
    { NULL, 0 }
};

//  ... at the very start (and in the title); and in the middle of a
//  sentence of more than a window, after "2.0", which starts none
static const s_piece_t s_text_start [] = {
    { "Universalization: the Convention now binds 112 States Parties, and 12 signatories have"
      " yet to ratify it. Universalization remains the first priority of the Presidency, which"
      " ratified a plan of visits with the Coordinators.\n\n", 1 },
    { S_FILLER_A S_FILLER_B, 10 },
    { "The Coordinators met envoys of eleven States not party, heard their concerns about"
      " alliances, stockpiles held by partners, the cost of destruction and the timing of"
      " parliamentary procedures, and offered them the outreach material prepared in 2024,"
      " including the Guide 2.0 toolkit for parliamentarians, a model law, translated leaflets"
      " and a short film that the Presidency will show at regional seminars in the coming"
      " months\n\n", 1 },
    { S_FILLER_B S_FILLER_A, 10 },
    { NULL, 0 }
};

//  Chinese as extracted from a PDF: lines broken inside words, a page's
//  header and footer inside 缔约国; 排雷犬 and 遥感 twice, 39 positions
//  apart, each after a '。' (the window of the first pair starts inside its
//  first instance: (40 - 42) / 2 is -1); Latin inside Chinese.
static const s_piece_t s_text_zh [] = {
    { "一、导言\n"
      "1. 本报告介绍各国在清除集束弹药残留物和减少风险教育方面取得的进展，\n"
      "依据《洛桑行动计划》(LAP) 第二十一项至第二十九项行动编写。本报告第三节载有各缔约\n"
      "\n"
      "CCM/MSP/2025/9\n"
      "\n"
      "GE.25-11873 3\n"
      "\n"
      "国提交的最新数据。\n"
      "二、清除\n"
      "2. 各国报告，本年度共清除受污染土地约四十平方公里，销毁子弹药一万二千\n"
      "余枚。多数作业把非技术调查和技术调查结合起来，以便把资源集中于确有污\n"
      "染的地区，避免在无污染的土地上耗费时间和经费。部分作业区地形复杂，植\n"
      "被茂密。排雷犬能够很迅速发现浅层土壤中的子弹药，大大提高了作业效率，因\n"
      "此各国希望进一步扩大排雷犬的使用范围，并加强训导员的培训。\n", 1 },
    { S_FILLER_ZH, 12 },
    { "4. 一些国家在调查中试用了卫星图像和无人机航拍，效果良好，认为这些新技术\n"
      "能够缩短调查时间，降低作业成本，并提高数据的准确性和完整性。遥感数据与实\n"
      "地调查结合使用时，可以准确地划定可疑危险区的边界，减少不必要的清除工作\n"
      "，遥感图像还可用于监测。\n"
      "5. 执行支助股（ISU）2026年预算为1,200,000瑞士法郎（CHF）。\n", 1 },
    { S_FILLER_ZH, 12 },
    { NULL, 0 }
};

//  A table of contents whose dot leaders make a window of 40 tokens
//  longer than a reply keeps (and cut inside a leader of three bytes)
#define S_LEADER { "…", 400 }
static const s_piece_t s_text_contents [] = {
    { "目录\n第一章 导言", 1 }, S_LEADER, { " 1\n第二章 清除", 1 }, S_LEADER,
    { " 4\n第三章 减少风险教育", 1 }, S_LEADER, { " 9\n第四章 受害者援助", 1 }, S_LEADER,
    { " 13\n第五章 国际合作与援助", 1 }, S_LEADER, { " 17\n第六章 预算和经费", 1 },
    S_LEADER, { " 21\n第七章 结论", 1 }, S_LEADER, { " 25\n", 1 },
    { NULL, 0 }
};

//  The documents whose text is long: symbol, text.
static const struct {
    const char *symbol;
    const s_piece_t *text;
} s_long_texts [] = {
    { "CCM/MSP/2025/6", s_text_middle }, { "CCM/MSP/2025/7", s_text_end },
    { "CCM/MSP/2025/8", s_text_start }, { "CCM/MSP/2025/9", s_text_zh },
    { "CCM/MSP/2025/9/Add.1", s_text_contents },
};

static const s_event_t s_events [] = {
    { 1, S_MEETING, { "id", "ccm-msp13", "convention", "CCM", "title", "13MSP" } },
    { 1, S_MEETING, { "id", "ccw-msp2024", "convention", "CCW", "title", "CCW MSP" } },
    { 1, S_MEETING, { "id", "apmbc-msp22", "convention", "APMBC", "title", "22MSP" } },
    //  CCM: one symbol in five languages, and others
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/1", "language", "en", "meeting", "ccm-msp13",
        "dated", "2025-06-02", "title", "Provisional agenda",
        "text", "Provisional agenda of the Thirteenth Meeting of States Parties. Opening of"
        " the meeting. Adoption of the agenda. Budget of the meeting." } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/1", "language", "fr", "meeting", "ccm-msp13",
        "dated", "2025-06-02", "title", "Ordre du jour provisoire",
        "text", "Ordre du jour provisoire de la treizième réunion des États parties."
        " Ouverture de la réunion. Budget de la réunion." } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/1", "language", "zh", "meeting", "ccm-msp13",
        "dated", "2025-06-02", "title", "临时议程",
        "text", "第十三届缔约国会议临时议程。会议开幕。通过议程。会议预算。" } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/1", "language", "ru", "meeting", "ccm-msp13",
        "dated", "2025-06-02", "title", "Предварительная повестка дня",
        "text", "Предварительная повестка дня тринадцатого Совещания государств-участников."
        " Бюджет совещания." } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/1", "language", "ar", "meeting", "ccm-msp13",
        "dated", "2025-06-02", "title", "جدول الأعمال المؤقت",
        "text", "جدول الأعمال المؤقت للاجتماع الثالث عشر للدول الأطراف. ميزانية الاجتماع." } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/2", "language", "en", "meeting", "ccm-msp13",
        "dated", "2025-06-20", "title", "Estimated costs of the meeting",
        "text", "Estimated costs of the Thirteenth Meeting: the budget covers conference"
        " services, documentation and the Implementation Support Unit. The budget is shared"
        " by States Parties and States not parties attending the meeting." } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/2", "language", "fr", "meeting", "ccm-msp13",
        "dated", "2025-06-20", "title", "Coûts estimatifs de la réunion",
        "text", "Le budget couvre les services de conférence et l'Unité d'appui à"
        " l'application." } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/2", "language", "zh", "meeting", "ccm-msp13",
        "dated", "2025-06-20", "title", "会议费用估计",
        "text", "第十三届会议费用估计：预算包括会议服务、文件和执行支助股。" } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/3", "language", "en", "distribution", "limited",
        "dated", "2025-07-01", "title", "Financial situation of the Implementation Support Unit",
        "text", "The Implementation Support Unit reports on its budget, its deficit and the"
        " contributions received. Budget implementation is on track despite the deficit." } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/3", "language", "zh", "distribution", "limited",
        "dated", "2025-07-01", "title", "执行支助股财务状况",
        "text", "执行支助股报告其预算、赤字和收到的捐款。预算执行情况良好。" } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/4/Rev.1", "language", "en", "dated", "2025-08-15",
        "title", "Lausanne Action Plan: progress report",
        "text", "Progress in implementing the Lausanne Action Plan: clearance of contaminated"
        " areas, victim assistance, stockpile destruction and risk education." } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/4/Rev.1", "language", "fr", "dated", "2025-08-15",
        "title", "Plan d'action de Lausanne : rapport",
        "text", "Progrès dans la mise en œuvre du plan d'action de Lausanne : dépollution,"
        " assistance aux victimes et destruction des stocks." } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/5", "language", "en", "distribution", "restricted",
        "dated", "2025-08-30", "title", "Note on the host country agreement",
        "text", "Restricted note on the host country agreement for the meeting, its budget"
        " and its security arrangements." } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/INF.1", "language", "en", "dated", "2025-09-01",
        "title", "List of documents", "text", "Budget, agenda and reports of the meeting." } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/INF.2", "language", "en", "dated", "2025-09-01",
        "title", "List of documents", "text", "Budget, agenda and reports of the meeting." } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/INF.3", "language", "en", "distribution", "limited",
        "title", "List of documents", "text", "Budget, agenda and reports of the meeting." } },
    //  long texts, their words in the title, the body or both; harakat, ё
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/6", "language", "en", "meeting", "ccm-msp13",
        "dated", "2025-07-15", "title", "Requests for extension of deadlines under Article 3" } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/7", "language", "en", "meeting", "ccm-msp13",
        "dated", "2025-07-16", "title", "Compilation of transparency returns" } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/8", "language", "en", "meeting", "ccm-msp13",
        "dated", "2025-07-17", "title", "Universalization of the Convention" } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/9", "language", "zh", "meeting", "ccm-msp13",
        "dated", "2025-07-18", "title", "清除和减少风险教育进展报告" } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/9/Add.1", "language", "zh", "meeting", "ccm-msp13",
        "dated", "2025-07-18", "title", "进展报告目录" } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/2", "language", "ar", "meeting", "ccm-msp13",
        "dated", "2025-06-20", "title", "التكاليف المقدرة للاجتماع",
        "text", "تُغَطِّي مِيزَانِيَّةُ الاجْتِمَاعِ خَدَمَاتِ المُؤْتَمَرَاتِ وَالوَثَائِقَ"
        " وَوَحْدَةَ دَعْمِ التَّنْفِيذِ." } },
    { 1, S_DOCUMENT, { "symbol", "CCM/MSP/2025/4/Rev.1", "language", "ru", "dated", "2025-08-15",
        "title", "Отчёт о ходе осуществления Лозаннского плана действий",
        "text", "Расчистка загрязнённых районов, помощь жертвам, уничтожение запасов: отчёт"
        " за 2025 год. Ещё два государства сообщили о завершении расчистки." } },
    //  CCW
    { 1, S_DOCUMENT, { "symbol", "CCW/MSP/2024/1", "language", "en", "meeting", "ccw-msp2024",
        "dated", "2024-09-10", "title", "Provisional agenda",
        "text", "Provisional agenda of the 2024 Meeting of the High Contracting Parties."
        " Budget and financial matters. Explosive remnants of war." } },
    { 1, S_DOCUMENT, { "symbol", "CCW/MSP/2024/1", "language", "zh", "meeting", "ccw-msp2024",
        "dated", "2024-09-10", "title", "临时议程",
        "text", "2024年缔约方会议临时议程。预算和财务事项。战争遗留爆炸物。" } },
    { 1, S_DOCUMENT, { "symbol", "CCW/MSP/2024/2", "language", "en", "distribution", "limited",
        "dated", "2024-10-01", "title", "Mines other than anti-personnel mines",
        "text", "Mines other than anti-personnel mines were discussed at length: the"
        " clearance of mines, the marking of minefields and the cost of clearing them." } },
    { 1, S_DOCUMENT, { "symbol", "CCW/MSP/2024/WP.3", "language", "en", "dated", "2024-11-14",
        "title", "Cluster munitions and explosive remnants of war",
        "text", "Cluster munitions and their submunitions leave explosive remnants; clearing"
        " them takes years." } },
    { 1, S_DOCUMENT, { "symbol", "CCW/CONF.VI/4/Add.1", "language", "en", "dated", "2022-02-01",
        "title", "Final document: addendum",
        "text", "Addendum to the final document of the Sixth Review Conference: budget"
        " estimates for the meetings of 2023 and 2024." } },
    { 1, S_DOCUMENT, { "symbol", "CCW/CONF.VI/4/Add.1", "language", "ru", "dated", "2022-02-01",
        "title", "Заключительный документ: добавление",
        "text", "Добавление к Заключительному документу шестой обзорной конференции: смета"
        " бюджета совещаний 2023 и 2024 годов." } },
    //  APMBC
    { 1, S_DOCUMENT, { "symbol", "APLC/MSP.22/2025/8", "language", "en", "meeting", "apmbc-msp22",
        "dated", "2025-10-01", "title", "Budget of the Implementation Support Unit for 2026",
        "text", "The Implementation Support Unit budget for 2026, approved by the Meeting of"
        " the States Parties." } },
    { 1, S_DOCUMENT, { "symbol", "APLC/MSP.22/2025/8", "language", "zh", "meeting", "apmbc-msp22",
        "dated", "2025-10-01", "title", "执行支助股2026年预算",
        "text", "执行支助股2026年预算，由缔约国会议核准。大会议程项目九。" } },
    { 1, S_DOCUMENT, { "symbol", "APLC/MSP.22/2025/8", "language", "ar", "meeting", "apmbc-msp22",
        "dated", "2025-10-01", "title", "ميزانية وحدة دعم التنفيذ لعام 2026",
        "text", "ميزانية وحدة دعم التنفيذ لعام 2026 التي وافق عليها اجتماع الدول الأطراف." } },
    { 1, S_DOCUMENT, { "symbol", "APLC/MSP.22/2025/9", "language", "zh", "meeting", "apmbc-msp22",
        "distribution", "restricted", "dated", "2025-10-02", "title", "会议预算",
        "text", "会议预算会议预算，会议预算。" } },
    { 1, S_DOCUMENT, { "symbol", "APLC/MSP.22/2025/10", "language", "zh", "meeting", "apmbc-msp22",
        "dated", "2025-10-03", "title", "议程草案",
        "text", "大会议程草案。议程项目：支助股的工作和预算。" } },
    //  statements; those of ccm-irm2026 before it is scheduled
    { 1, S_STATEMENT, { "meeting", "ccm-msp13", "delegation", "FR", "language", "fr",
        "agenda_item", "9(h)", "delivered_at", "2025-09-02T10:00:00+02:00",
        "text", "La France salue le travail de l'Unité d'appui à l'application et soutient"
        " le budget. Cette réunion est importante." } },
    { 1, S_STATEMENT, { "meeting", "ccm-msp13", "delegation", "CN", "language", "zh",
        "delivered_at", "2025-09-02T11:00:00+02:00",
        "text", "中国代表团支持执行支助股的工作，欢迎本次会议通过预算。" } },
    { 1, S_STATEMENT, { "meeting", "ccm-msp13", "delegation", "GB", "language", "en",
        "document", "CCM/MSP/2025/2", "delivered_at", "2025-09-03T09:30:00+02:00",
        "text", "The United Kingdom welcomes the budget and the focus of the meeting on"
        " clearance and victim assistance." } },
    { 1, S_STATEMENT, { "meeting", "ccm-msp13", "delegation", "EG", "language", "ar",
        "delivered_at", "2025-09-03T12:00:00+02:00", "text", "تؤيد مصر ميزانية الاجتماع." } },
    { 1, S_STATEMENT, { "meeting", "ccw-msp2024", "delegation", "RU", "language", "ru",
        "delivered_at", "2024-11-13T15:00:00+01:00",
        "text", "Российская Федерация считает, что бюджет совещаний должен быть сокращён." } },
    //  a statement without text
    { 1, S_STATEMENT, { "meeting", "ccm-msp13", "delegation", "NZ", "language", "en",
        "agenda_item", "9(h)", "delivered_at", "2025-09-03T15:00:00+02:00" } },
    { 1, S_STATEMENT, { "meeting", "ccm-irm2026", "delegation", "DE", "language", "en",
        "delivered_at", "2026-05-12T10:00:00+02:00",
        "text", "Germany supports the intersessional meeting and the clearance work in"
        " affected States." } },
    { 1, S_STATEMENT, { "meeting", "ccm-irm2026", "delegation", "MX", "language", "es",
        "delivered_at", "2026-05-12T11:00:00+02:00",
        "text", "México apoya la reunión entre períodos de sesiones y la asistencia a las"
        " víctimas." } },

    //  Part 2: the meeting of those statements, a revision (its first text
    //  leaves the index: "shared" is found no more), more ties, outcomes
    { 2, S_MEETING, { "id", "ccm-irm2026", "convention", "CCM", "title", "IRM",
        "kind", "intersessional" } },
    { 2, S_DOCUMENT, { "symbol", "CCM/MSP/2025/2", "language", "en", "meeting", "ccm-msp13",
        "dated", "2025-06-27", "title", "Estimated costs of the meeting",
        "text", "Revised estimated costs of the Thirteenth Meeting: the budget covers"
        " conference services and documentation." } },
    { 2, S_DOCUMENT, { "symbol", "CCM/MSP/2026/1", "language", "en", "meeting", "ccm-irm2026",
        "dated", "2026-04-01", "title", "Report of the intersessional meeting",
        "text", "Report of the intersessional meeting: clearance, victim assistance, risk"
        " education and the budget of the Implementation Support Unit." } },
    { 2, S_DOCUMENT, { "symbol", "CCM/MSP/2026/1", "language", "fr", "meeting", "ccm-irm2026",
        "dated", "2026-04-01", "title", "Rapport de la reunion intersessions",
        "text", "Rapport de la reunion intersessions : dépollution et budget." } },
    { 2, S_DOCUMENT, { "symbol", "CCM/MSP/2026/2", "language", "en", "meeting", "ccm-irm2026",
        "distribution", "limited", "dated", "2026-04-02", "title", "Victim assistance",
        "text", "Victim assistance under the Lausanne Action Plan: a long report on victim"
        " assistance, on assistance to survivors, families and communities, on services,"
        " referral, data collection, inclusion and the budget it needs." } },
    { 2, S_DOCUMENT, { "symbol", "CCM/MSP/2025/INF.4", "language", "en", "dated", "2025-09-01",
        "title", "List of documents", "text", "Budget, agenda and reports of the meeting." } },
    { 2, S_DOCUMENT, { "symbol", "APLC/MSP.22/2025/12", "language", "zh", "meeting", "apmbc-msp22",
        "dated", "2025-12-04", "title", "会议纪要", "text", "会议纪要：会议讨论了预算。" } },
    { 2, S_DOCUMENT, { "symbol", "APLC/MSP.22/2025/13", "language", "zh", "meeting", "apmbc-msp22",
        "dated", "2025-12-04", "title", "会议纪要", "text", "会议纪要：会议讨论了预算。" } },
    { 2, S_STATEMENT, { "meeting", "ccm-irm2026", "delegation", "JP", "language", "en",
        "delivered_at", "2026-05-13T10:00:00+02:00", "text", "Japan supports the budget." } },
    { 2, S_OUTCOME, { "meeting", "ccm-msp13", "id", "budget", "kind", "decision",
        "title", "Decision on the budget of the Thirteenth Meeting", "adopted", "2025-09-05",
        "documents", "CCM/MSP/2025/2",
        "text", "The Meeting of the States Parties approves the budget in document"
        " CCM/MSP/2025/2." } },
    { 2, S_OUTCOME, { "meeting", "apmbc-msp22", "id", "isu-2026", "kind", "decision",
        "title", "执行支助股预算决定", "adopted", "2025-12-05",
        "documents", "APLC/MSP.22/2025/8", "text", "缔约国会议核准执行支助股2026年预算。" } },
    //  outcomes with a title and no text, or an empty one
    { 2, S_OUTCOME, { "meeting", "ccm-msp13", "id", "dates", "kind", "decision",
        "title", "Dates and venue of the Fourteenth Meeting", "adopted", "2025-09-05" } },
    { 2, S_OUTCOME, { "meeting", "ccm-msp13", "id", "officers", "kind", "decision",
        "title", "Election of the officers of the Fourteenth Meeting", "adopted", "2025-09-05",
        "text", "" } },

    //  Part 3, an archive of its own: 7 items of 126 tokens (avgdl 18), two
    //  of which hold "quorum": once in a body of 5 tokens (weight 1) and once
    //  in a title of 38 (weight 4).  In exact arithmetic their bm25 are the
    //  same (38 = 18 + 4 * 5: the weights' ratio is the length factors');
    //  in FTS5's, rounding sets them apart, and the order must be FTS5's.
    { 3, S_DOCUMENT, { "symbol", "CCM/MSP/2027/1", "language", "en", "title", "Note",
        "text", "The quorum was present" } },
    { 3, S_DOCUMENT, { "symbol", "CCM/MSP/2027/2", "language", "en", "title", "Quorum",
        "text", "Rule thirty of the rules of procedure provides that a majority of the States"
        " Parties shall constitute the presence required for a decision to be taken at any"
        " plenary sitting of the Conference or of its committees" } },
    { 3, S_DOCUMENT, { "symbol", "CCM/MSP/2027/3", "language", "en", "title", "Information note",
        "text", "Delegations are invited to register online before the opening of the session"
        " in Geneva" } },
    { 3, S_DOCUMENT, { "symbol", "CCM/MSP/2027/4", "language", "en", "title", "Information note",
        "text", "Interpretation is provided in the six official languages of the United"
        " Nations" } },
    { 3, S_DOCUMENT, { "symbol", "CCM/MSP/2027/5", "language", "en", "title", "Information note",
        "text", "Side events may be organized during the lunch break in the rooms reserved by"
        " the secretariat" } },
    { 3, S_DOCUMENT, { "symbol", "CCM/MSP/2027/6", "language", "en", "title", "Information note",
        "text", "Documents are available on the website of the Convention and at the counter"
        " outside" } },
    { 3, S_DOCUMENT, { "symbol", "CCM/MSP/2027/7", "language", "en", "title", "Information note",
        "text", "The secretariat thanks the host country for its generous support and wishes"
        " all participants a fruitful session" } },
};
#define S_EVENTS (sizeof s_events / sizeof s_events [0])

//  A search: what the archive promises for it, so that it cannot silently
//  stop testing what the search is there for (part by part, whether the
//  secretariat finds anything, '+', or not, '0'; then '=' when some hits
//  have the very same bm25, a tie broken by id, '~' when two have the same
//  but for rounding, a tie in exact arithmetic; '>' when a hit's snippet is
//  longer than a reply keeps, and cut), and its arguments but the page, as
//  name, value pairs.
typedef struct {
    const char *promise;
    const char *args [S_ARGS];
} s_search_t;

static const s_search_t s_searches [] = {
    { "++0=", { "q", "budget" } },
    { "++0",  { "q", "meeting" } },                 //  in many English items
    { "++0",  { "q", "Lausanne" } },
    { "++0",  { "q", "budget implementation" } },
    { "++0",  { "q", "\"victim assistance\"" } },
    { "++0",  { "q", "clear*" } },
    { "++0",  { "q", "mines OR munitions" } },
    { "++0=", { "q", "budget -deficit" } },
    { "++0=", { "q", "agenda reports" } },
    { "++0",  { "q", "会议" } },
    { "++0",  { "q", "支助股" } },
    { "++0",  { "q", "\"会议预算\"" } },
    { "++0",  { "q", "“执行支助股”" } },
    { "++0",  { "q", "预算 会议" } },
    { "0+0=", { "q", "纪要" } },
    { "++0",  { "q", "réunion" } },
    { "++0",  { "q", "reunion" } },
    { "++0",  { "q", "бюджет" } },
    { "++0",  { "q", "ميزانية" } },
    { "+00",  { "q", "shared" } },                  //  the revision took it out
    { "000",  { "q", "zanzibar" } },
    //  snippets (s_rules): windows in long texts, at the middle, end, start
    { "++0",  { "q", "stockpile deadline" } },
    { "++0",  { "q", "ratification" } },
    { "++0",  { "q", "universalization" } },      //  in the title and the body
    { "++0",  { "q", "compilation" } },           //  in the title only
    { "++0",  { "q", "returns" } },               //  in both once: a sentence wins
    { "++0",  { "q", "provisional" } },           //  in both once: the title wins
    { "++0",  { "q", "toolkit" } },
    { "++0",  { "q", "ratif*" } },
    { "++0",  { "q", "stockpile OR ratification" } },
    { "++0",  { "q", "stockpile -deadline" } },   //  deadline is in the archive
    { "++0",  { "q", "\"action plan\" plan" } },  //  instances that overlap
    { "++0",  { "q", "lausanne action" } },       //  adjacent ones
    { "++0",  { "q", "排雷犬" } },
    { "++0",  { "q", "遥感" } },
    //  a phrase of 72 tokens (70 different ones), longer than the window
    { "++0",  { "q", "\"各国强调国际合作与援助的重要性，呼吁捐助方继续提供可预测的多年期资金，"
                     "并支持受影响国家加强本国能力，包括培训本国人员、建立信息管理系统和完善质量"
                     "管理程序\"" } },
    { "++0",  { "q", "缔约国" } },
    { "++0",  { "q", "ISU 预算" } },
    { "++0>", { "q", "导言" } },
    { "++0",  { "q", "etats" } },
    { "++0",  { "q", "отчет" } },
    { "++0",  { "q", "загрязненных" } },
    { "++0",  { "q", "statement" } },             //  statements' titles, one without text
    { "0+0",  { "q", "fourteenth" } },
    //  each filter alone
    { "++0=", { "q", "budget", "convention", "CCM" } },
    { "++0",  { "q", "budget", "convention", "CCW" } },
    { "000",  { "q", "budget", "convention", "BWC" } },
    { "++0",  { "q", "budget", "meeting", "ccm-msp13" } },
    { "++0",  { "q", "clearance", "meeting", "ccm-irm2026" } },
    { "++0=", { "q", "budget", "symbol", "CCM/MSP/2025/*" } },
    { "++0=", { "q", "budget", "symbol", "*" } },
    { "++0",  { "q", "meeting", "symbol", "ccw/*" } },
    { "++0",  { "q", "budget", "symbol", "*/Add.1" } },
    { "000",  { "q", "budget", "symbol", "CCM/MSP/2025/?" } },
    { "++0",  { "q", "budget", "language", "fr" } },
    { "++0",  { "q", "会议", "language", "zh" } },
    { "++0",  { "q", "budget", "kind", "statement" } },
    { "0+0",  { "q", "budget", "kind", "outcome" } },
    { "0+0",  { "q", "预算", "kind", "outcome" } },
    { "++0=", { "q", "budget", "kind", "document" } },
    { "++0=", { "q", "budget", "from", "2025-07-01" } },
    { "++0",  { "q", "budget", "to", "2025-06-30" } },
    { "++0",  { "q", "budget", "distribution", "limited" } },
    { "++0",  { "q", "budget", "distribution", "restricted" } },
    { "++0=", { "q", "budget", "distribution", "general" } },
    //  combinations
    { "++0",  { "q", "budget", "convention", "CCM", "kind", "statement" } },
    { "0+0",  { "q", "budget", "convention", "CCM", "meeting", "ccm-irm2026" } },
    //  statements of part 1 whose meeting, hence convention, came in part 2
    { "++0",  { "q", "clearance", "convention", "CCM", "kind", "statement" } },
    { "++0",  { "q", "reunion", "convention", "CCM" } },
    { "++0=", { "q", "budget", "convention", "CCM", "kind", "document", "language", "en" } },
    { "++0",  { "q", "会议", "language", "zh", "from", "2025-01-01", "to", "2025-12-31" } },
    { "++0=", { "q", "meeting", "symbol", "CCM/*", "distribution", "general" } },
    //  bounds on the very dates of items: both are included
    { "++0",  { "q", "assistance", "from", "2025-08-15", "to", "2026-04-01", "kind", "document" } },
    //  the near tie; a word in 6 items of 7, whose idf is bm25's floor (1e-6)
    { "00+~", { "q", "quorum" } },
    { "+++",  { "q", "note" } },
};
#define S_SEARCHES (sizeof s_searches / sizeof s_searches [0])

//  What searches are there for in their snippets, so that a change to the
//  archive cannot silently stop testing it: every hit of the search of
//  words Q (or only hit ID) shows SHOWS, and hit ID's window has SHAPE:
//  "…*…" in the middle of its text, "…*" at the end, "*…" at the start, "*"
//  all of it.  The search of Q alone must find ID whenever it finds anything.
typedef struct {
    const char *q, *id, *shows, *shape;
} s_rule_t;

static const s_rule_t s_rules [] = {
    { "会议",   NULL, "⟦会议⟧", NULL },
    { "支助股", NULL, "⟦支助股⟧", NULL },
    //  the window that starts a sentence (after ':' and a line break) wins
    { "stockpile deadline", "CCM/MSP/2025/6:en", "…⟦Stockpile⟧ destruction", "…*…" },
    { "ratification", "CCM/MSP/2025/7:en", "⟦ratification⟧ before the end of the year", "…*" },
    { "universalization", "CCM/MSP/2025/8:en", "⟦Universalization⟧: the Convention", "*…" },
    { "compilation", "CCM/MSP/2025/7:en", "⟦Compilation⟧ of transparency returns", "*" },
    { "returns", "CCM/MSP/2025/7:en", "…Of the ⟦returns⟧ due this year", "…*" },
    { "provisional", "CCM/MSP/2025/1:en", "⟦Provisional⟧ agenda", "*" },
    //  "2.0 toolkit" starts no sentence: the window is centred on the word
    { "toolkit", "CCM/MSP/2025/8:en", "including the Guide 2.0 ⟦toolkit⟧ for", "…*…" },
    { "\"action plan\" plan", "CCM/MSP/2025/4/Rev.1:en", "⟦Action Plan⟧:", NULL },
    { "lausanne action", "CCM/MSP/2025/4/Rev.1:en", "⟦Lausanne⟧ ⟦Action⟧", NULL },
    //  the window starts inside the first instance, ends inside the second
    { "排雷犬", "CCM/MSP/2025/9:zh", "…雷犬能够很迅速发现浅层土壤中的子弹药，大大提高了作业效率，因\n"
      "此各国希望进一步扩大⟦排雷⟧…", NULL },
    { "遥感", "CCM/MSP/2025/9:zh", "…⟦遥感⟧数据与实\n地调查结合使用时，可以准确地划定可疑危险区的边界，"
      "减少不必要的清除工作\n，⟦遥⟧…", NULL },
    //  the window starts inside the only instance it holds: no highlight
    { "\"各国强调国际合作与援助的重要性，呼吁捐助方继续提供可预测的多年期资金，并支持受影响国家加强"
      "本国能力，包括培训本国人员、建立信息管理系统和完善质量管理程序\"", "CCM/MSP/2025/9:zh",
      "…吁捐助方继续提供可预测的多年期资金，\n并支持受影响国家加强本国能力，包括培训本国人员、建…",
      NULL },
    { "缔约国", "CCM/MSP/2025/9:zh", "各⟦缔约\n\nCCM/MSP/2025/9\n\nGE.25-11873 3\n\n国⟧提交", NULL },
    { "ISU 预算", "CCM/MSP/2025/9:zh", "（⟦ISU⟧）2026年⟦预算⟧为", NULL },
    { "ميزانية", "CCM/MSP/2025/2:ar", "تُغَطِّي ⟦مِيزَانِيَّةُ⟧ الاجْتِمَاعِ", NULL },
    { "etats", "CCM/MSP/2025/1:fr", "⟦États⟧ parties", NULL },
    { "отчет", "CCM/MSP/2025/4/Rev.1:ru", "⟦Отчёт⟧ о ходе", "*" },
    { "загрязненных", "CCM/MSP/2025/4/Rev.1:ru", "⟦загрязнённых⟧", "*" },
    { "statement", NULL, "⟦Statement⟧ by ", "*" },
    { "fourteenth", "ccm-msp13/dates", "⟦Fourteenth⟧ Meeting", "*" },
    { "fourteenth", "ccm-msp13/officers", "⟦Fourteenth⟧ Meeting", "*" },
};
#define S_RULES (sizeof s_rules / sizeof s_rules [0])

//  Who sees what: the distribution levels of the roles asked as.
static const struct {
    const char *role;
    int level;
} s_levels [] = {
    { "secretariat", 2 }, { "delegate", 1 }, { "public", 0 },
};

//  archive.search's filters as conditions on item, each bound to the
//  argument's value; the symbol pattern (only * is special, any case) as a
//  LIKE pattern.
static const struct {
    const char *arg, *condition;
} s_conditions [] = {
    { "convention",   " AND i.convention = ?" },
    { "meeting",      " AND i.meeting = ?" },
    { "symbol",       " AND i.symbol LIKE ? ESCAPE '\\'" },
    { "language",     " AND i.language = ?" },
    { "kind",         " AND i.kind = ?" },
    { "from",         " AND i.date >= ?" },
    { "to",           " AND i.date <= ?" },
    { "distribution", " AND i.distribution = ?" },
};
#define S_CONDITIONS (sizeof s_conditions / sizeof s_conditions [0])

//  A hit as the oracle expects it.
typedef struct {
    char id [161];
    double bm25;
    json_int_t score;
    char *snippet;                  //  as the reply carries it; NULL: none
    int cut;                        //  FTS5's was longer than a reply keeps
} s_hit_t;

//  Name, value PAIRS as a new object of strings; a name in LIST becomes a
//  list of its one value.
static json_t *
s_object (const char *const *pairs, size_t count, const char *list)
{
    json_t *object = json_object ();
    for (size_t i = 0; object && i + 1 < count && pairs [i]; i += 2) {
        json_t *value = json_string (pairs [i + 1]);
        if (list && strcmp (pairs [i], list) == 0)
            value = json_pack ("[o]", value);
        json_object_set_new (object, pairs [i], value);
    }
    return object;
}

//  The text of PIECES as a new string value; NULL when out of memory.
static json_t *
s_long_text (const s_piece_t *pieces)
{
    size_t size = 0;
    for (const s_piece_t *piece = pieces; piece->text; piece++)
        size += strlen (piece->text) * (size_t) piece->times;
    char *text = malloc (size + 1), *end = text;
    for (const s_piece_t *piece = pieces; text && piece->text; piece++)
        for (int i = 0; i < piece->times; i++)
            end = stpcpy (end, piece->text);
    json_t *value = text ? json_stringn (text, size) : NULL;
    free (text);
    return value;
}

json_t *
oracle_event (int part, size_t index, const char **topic)
{
    for (size_t i = 0; i < S_EVENTS; i++) {
        if (s_events [i].part != part || index-- > 0)
            continue;
        *topic = s_events [i].topic;
        json_t *payload = s_object (s_events [i].fields, S_FIELDS, "documents");
        const char *symbol = json_string_value (json_object_get (payload, "symbol"));
        for (size_t t = 0; symbol && t < sizeof s_long_texts / sizeof s_long_texts [0]; t++)
            if (strcmp (s_long_texts [t].symbol, symbol) == 0)
                json_object_set_new (payload, "text", s_long_text (s_long_texts [t].text));
        for (size_t d = 0; payload && s_defaults [d]; d += 3)
            if (strcmp (s_defaults [d], *topic) == 0
            &&  !json_object_get (payload, s_defaults [d + 1]))
                json_object_set_new (payload, s_defaults [d + 1],
                                     json_string (s_defaults [d + 2]));
        return payload;
    }
    return NULL;
}

size_t
oracle_searches (void)
{
    return S_SEARCHES;
}

json_t *
oracle_args (size_t search, int page)
{
    json_t *args = s_object (s_searches [search].args, S_ARGS, NULL);
    json_object_set_new (args, "page", json_integer (page));
    json_object_set_new (args, "page_size", json_integer (ORACLE_PAGE_SIZE));
    return args;
}

oracle_t *
oracle_new (const char *path)
{
    oracle_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
    ||  archive_tokenizer_register (self->db)) {
        fprintf (stderr, "test_archive: oracle: cannot open %s: %s\n", path,
                 sqlite3_errmsg (self->db));
        oracle_destroy (&self);
    }
    return self;
}

void
oracle_destroy (oracle_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sqlite3_close ((*self_p)->db);
    free (*self_p);
    *self_p = NULL;
}

//  The symbol pattern PATTERN as a LIKE pattern (\ escapes) into OUT.
static void
s_like (const char *pattern, char *out, size_t size)
{
    size_t used = 0;
    for (const char *c = pattern; *c && used + 3 < size; c++) {
        if (*c == '%' || *c == '_' || *c == '\\')
            out [used++] = '\\';
        out [used++] = *c == '*' ? '%' : *c;
    }
    out [used] = 0;
}

//  SNIPPET (FTS5's; NULL: none) as a reply carries it, into *OUT (a new
//  string, or NULL): s_row_object (archive_store.c) cuts a snippet longer
//  than S_SNIPPET_MAX bytes at a character boundary and marks the cut with
//  S_CUT, so that the reply stays in its schema.  1 when cut, 0 when not,
//  -1 out of memory.
static int
s_snippet_cut (const char *snippet, char **out)
{
    *out = NULL;
    if (!snippet)
        return 0;
    size_t size = strlen (snippet);
    int cut = size > S_SNIPPET_MAX;
    if (cut) {
        size = S_SNIPPET_MAX - strlen (S_CUT);
        while (size && ((unsigned char) snippet [size] & 0xC0) == 0x80)
            size--;
    }
    if (!(*out = malloc (size + strlen (S_CUT) + 1)))
        return -1;
    memcpy (*out, snippet, size);
    strcpy (*out + size, cut ? S_CUT : "");
    return cut;
}

//  Free the snippets of HITS [0 .. COUNT).
static void
s_hits_free (s_hit_t *hits, int count)
{
    for (int i = 0; i < count; i++) {
        free (hits [i].snippet);
        hits [i].snippet = NULL;
    }
}

//  Every hit of ARGS as LEVEL sees them, best first, with its snippet, into
//  HITS (S_HITS_MAX; free with s_hits_free).  The number of hits, or -1 on
//  failure (printed, nothing to free).
static int
s_expect (oracle_t *self, const json_t *args, int level, s_hit_t *hits)
{
    char match [S_MATCH_MAX], err [256], sql [2048], like [200];
    const char *q = json_string_value (json_object_get (args, "q"));
    if (!q || archive_worker_match (q, match, sizeof match, err, sizeof err)) {
        fprintf (stderr, "test_archive: oracle: %s\n", q ? err : "a search without words");
        return -1;
    }
    size_t used = (size_t) snprintf (sql, sizeof sql,
        "SELECT i.key, bm25 (item_fts, 4.0, 1.0) AS b, " S_SNIPPET
        " FROM item_fts JOIN item i ON i.id = item_fts.rowid"
        " WHERE item_fts MATCH ?1 AND i.current = 1 AND i.level <= ?2");
    for (size_t c = 0; c < S_CONDITIONS; c++)
        if (json_object_get (args, s_conditions [c].arg))
            used += (size_t) snprintf (sql + used, sizeof sql - used, "%s",
                                       s_conditions [c].condition);
    snprintf (sql + used, sizeof sql - used, " ORDER BY b, i.id");
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        fprintf (stderr, "test_archive: oracle: %s: %s\n", sql, sqlite3_errmsg (self->db));
        return -1;
    }
    sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 2, level);
    int bound = 2;
    for (size_t c = 0; c < S_CONDITIONS; c++) {
        const char *value = json_string_value (json_object_get (args, s_conditions [c].arg));
        if (value && strcmp (s_conditions [c].arg, "symbol") == 0) {
            s_like (value, like, sizeof like);
            value = like;
        }
        if (value)
            sqlite3_bind_text (stmt, ++bound, value, -1, SQLITE_TRANSIENT);
    }
    int count = 0, rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && count < S_HITS_MAX) {
        s_hit_t *hit = &hits [count++];
        snprintf (hit->id, sizeof hit->id, "%s", (const char *) sqlite3_column_text (stmt, 0));
        hit->bm25 = sqlite3_column_double (stmt, 1);
        //  the score: bm25 () is negative, better matches more so
        double x = -hit->bm25 * 1000.0;
        hit->score = x > 0 ? (json_int_t) (x + 0.5) : 0;
        hit->cut = s_snippet_cut ((const char *) sqlite3_column_text (stmt, 2), &hit->snippet);
        if (hit->cut < 0) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    if (rc != SQLITE_DONE) {
        fprintf (stderr, "test_archive: oracle: %s: %s\n", sql,
                 rc == SQLITE_ROW ? "more hits than the oracle holds"
                 : rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg (self->db));
        s_hits_free (hits, count);
    }
    sqlite3_finalize (stmt);
    return rc == SQLITE_DONE ? count : -1;
}

//  Print the search, the role and the page that differ, then the hits of
//  the page expected (HITS, COUNT in all) and those of REPLY.
static void
s_print (size_t search, const char *role, int page, const s_hit_t *hits, int count,
         const json_t *reply, const char *what)
{
    json_t *args = oracle_args (search, page);
    char *text = json_dumps (args, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fprintf (stderr, "test_archive: oracle: %s: %s as %s:\n  expected total %d:", what,
             text, role, count);
    free (text);
    json_decref (args);
    for (int i = (page - 1) * ORACLE_PAGE_SIZE; i < count && i < page * ORACLE_PAGE_SIZE; i++)
        fprintf (stderr, " %s %lld (%.17g)", hits [i].id, (long long) hits [i].score,
                 hits [i].bm25);
    fprintf (stderr, "\n  actual   total %lld:",
             (long long) json_integer_value (json_object_get (reply, "total")));
    size_t index;
    json_t *item;
    json_array_foreach (json_object_get (reply, "items"), index, item)
        fprintf (stderr, " %s %lld", json_string_value (json_object_get (item, "id")),
                 (long long) json_integer_value (json_object_get (item, "score")));
    fprintf (stderr, "\n");
}

//  Whether TEXT begins (AT_END 0) or ends (1) with an ellipsis.
static int
s_ellipsis (const char *text, int at_end)
{
    size_t length = strlen (text), mark = strlen ("…");
    return length >= mark && memcmp (text + (at_end ? length - mark : 0), "…", mark) == 0;
}

//  Whether SNIPPET (NULL: none) is as RULE says.
static int
s_snippet_kept (const s_rule_t *rule, const char *snippet)
{
    const char *shape = rule->shape;
    return snippet && (!rule->shows || strstr (snippet, rule->shows))
        && (!shape || (s_ellipsis (shape, 0) == s_ellipsis (snippet, 0)
                       && s_ellipsis (shape, 1) == s_ellipsis (snippet, 1)));
}

//  Whether the archive keeps its promises for SEARCH after PART: it finds
//  something or not, ties when it should, cuts a snippet when it should,
//  and its snippets are as s_rules says.  0 or -1 (printed).
static int
s_promises (size_t search, int part, const s_hit_t *hits, int count)
{
    const s_search_t *promise = &s_searches [search];
    const char *flags = promise->promise + ORACLE_PARTS;
    char tie = strchr (flags, '=') ? '=' : strchr (flags, '~') ? '~' : 0;
    int ties = 0, cuts = 0, cut_promised = strchr (flags, '>') != NULL;
    for (int i = 0; i < count; i++) {
        cuts |= hits [i].cut;
        double apart = i ? fabs (hits [i].bm25 - hits [i - 1].bm25) : INFINITY;
        ties |= tie == '=' ? apart == 0 : apart <= 1e-12 * fabs (hits [i].bm25);
    }
    if ((count > 0) != (promise->promise [part - 1] == '+')
    ||  (count && tie && !ties) || (count && cut_promised && !cuts)) {
        fprintf (stderr, "test_archive: oracle: the archive lost what search %zu (%s) needs"
                 " after part %d: %d hits%s%s\n", search, promise->args [1], part, count,
                 tie && !ties ? ", none tied" : "", cut_promised && !cuts ? ", none cut" : "");
        return -1;
    }
    for (size_t r = 0; r < S_RULES; r++) {
        const s_rule_t *rule = &s_rules [r];
        if (strcmp (rule->q, promise->args [1]) != 0)
            continue;
        int found = 0;
        for (int i = 0; i < count; i++) {
            if (rule->id && strcmp (rule->id, hits [i].id) != 0)
                continue;
            found = 1;
            if (!s_snippet_kept (rule, hits [i].snippet)) {
                fprintf (stderr, "test_archive: oracle: search %zu (%s): the snippet of %s"
                         " is not shaped %s showing %s: %s\n", search, rule->q, hits [i].id,
                         rule->shape ? rule->shape : "any", rule->shows ? rule->shows : "any",
                         hits [i].snippet ? hits [i].snippet : "(none)");
                return -1;
            }
        }
        //  the search of the words alone finds the hit a rule is about
        if (rule->id && !found && count && !promise->args [2]) {
            fprintf (stderr, "test_archive: oracle: search %zu (%s) no longer finds %s\n",
                     search, rule->q, rule->id);
            return -1;
        }
    }
    return 0;
}

//  Compare the snippet of each hit of REPLY's page (ITEMS, ROWS of them,
//  from hit FIRST) with HITS', printing every one that differs.  0 or -1.
static int
s_snippets (size_t search, const char *role, int page, const s_hit_t *hits, int first,
            const json_t *items, int rows)
{
    int differ = 0;
    for (int i = 0; i < rows; i++) {
        const json_t *item = json_array_get (items, (size_t) i);
        const json_t *value = json_object_get (item, "snippet");
        const char *snippet = json_string_value (value);
        const char *expected = hits [first + i].snippet;
        if (!snippet && !expected)
            continue;
        if (snippet && expected && json_string_length (value) == strlen (expected)
        &&  memcmp (snippet, expected, strlen (expected)) == 0)
            continue;
        json_t *args = oracle_args (search, page);
        char *text = json_dumps (args, JSON_COMPACT | JSON_PRESERVE_ORDER);
        fprintf (stderr, "test_archive: oracle: a different snippet: %s as %s, hit %s:\n"
                 "  expected (FTS5): %s\n  actual:          %s\n", text, role,
                 hits [first + i].id, expected ? expected : "(none)",
                 snippet ? snippet : "(none)");
        free (text);
        json_decref (args);
        differ = 1;
    }
    return differ ? -1 : 0;
}

int
oracle_check (oracle_t *self, int part, size_t search, const char *role, int page,
              const json_t *reply)
{
    int level = -1;
    for (size_t i = 0; i < sizeof s_levels / sizeof s_levels [0]; i++)
        if (strcmp (s_levels [i].role, role) == 0)
            level = s_levels [i].level;
    s_hit_t hits [S_HITS_MAX];
    json_t *args = oracle_args (search, page);
    int count = level < 0 ? -1 : s_expect (self, args, level, hits);
    json_decref (args);
    if (count < 0)
        return -1;
    int rc = -1;
    if (level == 2 && page == 1 && s_promises (search, part, hits, count))
        goto done;
    if (!reply) {
        s_print (search, role, page, hits, count, reply, "no reply");
        goto done;
    }
    const json_t *items = json_object_get (reply, "items");
    int first = (page - 1) * ORACLE_PAGE_SIZE;
    int rows = count - first < 0 ? 0 : count - first > ORACLE_PAGE_SIZE ? ORACLE_PAGE_SIZE
             : count - first;
    if (json_integer_value (json_object_get (reply, "total")) != count
    ||  json_array_size (items) != (size_t) rows) {
        s_print (search, role, page, hits, count, reply, "a different total or page");
        goto done;
    }
    for (int i = 0; i < rows; i++) {
        const json_t *item = json_array_get (items, (size_t) i);
        const char *id = json_string_value (json_object_get (item, "id"));
        if (json_integer_value (json_object_get (item, "rank")) != first + i + 1
        ||  !id || strcmp (id, hits [first + i].id)
        ||  !json_is_integer (json_object_get (item, "score"))
        ||  json_integer_value (json_object_get (item, "score")) != hits [first + i].score) {
            s_print (search, role, page, hits, count, reply, "different hits");
            goto done;
        }
    }
    if (s_snippets (search, role, page, hits, first, items, rows) == 0)
        rc = first >= count ? 1 : 0;
done:
    s_hits_free (hits, count);
    return rc;
}
