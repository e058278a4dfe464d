/*  test_archive_oracle_data — the archive the oracle releases and the
    searches it asks of it (test_archive_oracle_data.h), as plain tables;
    test_archive_oracle.c turns them into events and search arguments.

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
    table of contents too long for a reply (oracle_data_rules says which
    search is there for what).  A third part, an archive of its own, holds
    two hits whose bm25 are equal in exact arithmetic and apart by
    rounding: their order is FTS5's only if bm25 is computed as FTS5
    computes it, operation for operation. */
#include "test_archive_oracle_data.h"

#define S_MEETING   "meeting.scheduled"
#define S_DOCUMENT  "document.released"
#define S_STATEMENT "statement.delivered"
#define S_OUTCOME   "outcome.adopted"

const char *const oracle_data_defaults [] = {
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
static const oracle_piece_t s_text_middle [] = {
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
static const oracle_piece_t s_text_end [] = {
    { "Article 7 of the Convention asks each State Party to submit an initial return within"
      " 180 days and an annual return by 30 April of each year.\n\n", 1 },
    { S_FILLER_A S_FILLER_B, 20 },
    { "Of the returns due this year, forty-one arrived on time and nine arrived late; two"
      " signatories expect to complete their ratification before the end of the year", 1 },
    { NULL, 0 }
};

//  ... at the very start (and in the title); and in the middle of a
//  sentence of more than a window, after "2.0", which starts none
static const oracle_piece_t s_text_start [] = {
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
static const oracle_piece_t s_text_zh [] = {
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
static const oracle_piece_t s_text_contents [] = {
    { "目录\n第一章 导言", 1 }, S_LEADER, { " 1\n第二章 清除", 1 }, S_LEADER,
    { " 4\n第三章 减少风险教育", 1 }, S_LEADER, { " 9\n第四章 受害者援助", 1 }, S_LEADER,
    { " 13\n第五章 国际合作与援助", 1 }, S_LEADER, { " 17\n第六章 预算和经费", 1 },
    S_LEADER, { " 21\n第七章 结论", 1 }, S_LEADER, { " 25\n", 1 },
    { NULL, 0 }
};

const oracle_long_text_t oracle_data_long_texts [] = {
    { "CCM/MSP/2025/6", s_text_middle }, { "CCM/MSP/2025/7", s_text_end },
    { "CCM/MSP/2025/8", s_text_start }, { "CCM/MSP/2025/9", s_text_zh },
    { "CCM/MSP/2025/9/Add.1", s_text_contents },
};
const size_t oracle_data_long_text_count =
    sizeof oracle_data_long_texts / sizeof oracle_data_long_texts [0];

//  Part 1: the main archive's meetings, documents and statements
const oracle_event_t oracle_data_events [] = {
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
    //  an outcome citing two documents, found by the symbol of either
    { 2, S_OUTCOME, { "meeting", "ccm-irm2026", "id", "victims", "kind", "recommendation",
        "title", "Recommendations on victim assistance", "adopted", "2026-04-03",
        "documents", "CCM/MSP/2026/1,CCM/MSP/2026/2",
        "text", "The meeting recommends that the budget of victim assistance be raised." } },
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
const size_t oracle_data_event_count = sizeof oracle_data_events / sizeof oracle_data_events [0];

//  The promise of each search, then its words and filters
const oracle_search_t oracle_data_searches [] = {
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
    //  snippets (oracle_data_rules): windows in long texts, at the middle, end, start
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
    //  words in their other forms (stems): every form found, the very one first
    { "++0",  { "q", "budgets" } },
    { "++0",  { "q", "meetings" } },
    { "++0",  { "q", "reunions" } },
    { "++0",  { "q", "бюджета" } },
    { "++0",  { "q", "الميزانية" } },
    { "++0",  { "q", "budgets", "language", "fr" } },
    //  operators, and groups
    { "++0=", { "q", "budget NOT deficit" } },
    { "++0",  { "q", "(mine OR munition) clearance" } },
    { "++0",  { "q", "budget AND (clearance OR assistance)" } },
    { "++0",  { "q", "budget -(deficit OR agenda)" } },
    { "++0",  { "q", "(budget plan) OR \"victim assistance\"" } },
    //  a search by symbol: its family first, then the texts that mention it
    { "++0",  { "q", "CCM/MSP/2025/4" } },
    { "++0",  { "q", "ccm/msp/2025/4/rev.1" } },
    { "++0",  { "q", "CCM/MSP/2025/2" } },
    { "++0",  { "q", "CCM/MSP/2025/*" } },
    { "0+0",  { "q", "CCM/MSP/2026/2" } },
    { "++0",  { "q", "*/Add.1" } },
    { "++0",  { "q", "CCM/MSP/2025/2", "language", "en" } },
    { "++0",  { "q", "CCM/MSP/2025/*", "kind", "document", "distribution", "limited" } },
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
    //  an outcome is found by each document it cites, its first or not
    { "0+0",  { "q", "budget", "symbol", "CCM/MSP/2026/2", "kind", "outcome" } },
    { "0+0",  { "q", "victim", "symbol", "ccm/msp/2026/2" } },
    { "0+0",  { "q", "recommends", "symbol", "CCM/MSP/2026/*" } },
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
const size_t oracle_data_search_count =
    sizeof oracle_data_searches / sizeof oracle_data_searches [0];

//  The snippets' rules
const oracle_rule_t oracle_data_rules [] = {
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
const size_t oracle_data_rule_count = sizeof oracle_data_rules / sizeof oracle_data_rules [0];
